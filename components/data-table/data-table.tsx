"use client";

import {
  type ColumnDef,
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  type OnChangeFn,
  type Row,
  type RowData,
  type SortingState,
  useReactTable,
} from "@tanstack/react-table";
import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import { useState } from "react";

declare module "@tanstack/react-table" {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData extends RowData, TValue> {
    /**
     * Below 768 px a row becomes a card: "title" leads it (no label), "actions" closes it,
     * "hidden" leaves a secondary column out; any other column is a labelled line.
     */
    compact?: "title" | "actions" | "hidden";
    /** The card's label for the column, when its header is not plain text. */
    label?: string;
  }
}

const collator = new Intl.Collator("en", { sensitivity: "base", numeric: true });

/** Text sorts case-insensitively ("alpha" next to "Alpha"), everything else by value. */
function compareValues<T>(a: Row<T>, b: Row<T>, columnId: string): number {
  const x = a.getValue(columnId);
  const y = b.getValue(columnId);
  if (typeof x === "string" && typeof y === "string") return collator.compare(x, y);
  return x === y ? 0 : (x as number) > (y as number) ? 1 : -1;
}

type DataTableProps<T> = {
  data: T[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  columns: ColumnDef<T, any>[];
  getRowId: (row: T) => string;
  caption: string;
  /** Server-side sorting: the page owns the state (in the URL). Without it the table sorts its rows itself. */
  sorting?: SortingState;
  onSortingChange?: OnChangeFn<SortingState>;
  empty?: React.ReactNode;
};

// Phones: the table's parts become blocks, each row a card and each cell a "label: value" line
// (the label is generated from data-label, so it adds no text to the page for tests or copying).
const tableClass = "min-w-full divide-y divide-slate-200 text-sm max-md:block max-md:divide-y-0";
const headClass = "bg-slate-50 max-md:block";
const headRowClass = "max-md:flex max-md:flex-wrap max-md:items-center max-md:gap-x-4 max-md:gap-y-1 max-md:px-4 max-md:py-2";
const bodyClass = "divide-y divide-slate-100 max-md:block";
const rowClass = "group hover:bg-slate-50 max-md:block max-md:px-4 max-md:py-3";
const cellBase = "px-4 py-3 align-top max-md:px-0 max-md:py-0.5";
const cellByKind = {
  title: "max-md:block max-md:pb-1 max-md:text-base",
  actions: "max-md:flex max-md:justify-end max-md:pt-2 md:sticky md:right-0 md:bg-white md:group-hover:bg-slate-50 md:shadow-[-8px_0_8px_-8px_rgb(0_0_0/0.12)]",
  hidden: "max-md:hidden",
  line: "max-md:flex max-md:gap-3 max-md:before:w-28 max-md:before:shrink-0 max-md:before:text-slate-500 max-md:before:content-[attr(data-label)]",
} as const;

/** A @tanstack/react-table table with sortable headers that screen readers and Playwright can find; cards on phones. */
export function DataTable<T>({ data, columns, getRowId, caption, sorting, onSortingChange, empty }: DataTableProps<T>) {
  const [localSorting, setLocalSorting] = useState<SortingState>([]);
  const manual = sorting !== undefined;
  // We do not use the React Compiler; the table instance is recreated on each render by design.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({
    data,
    columns,
    getRowId,
    defaultColumn: { sortingFn: compareValues },
    state: { sorting: manual ? sorting : localSorting },
    onSortingChange: manual ? onSortingChange : setLocalSorting,
    manualSorting: manual,
    enableSortingRemoval: false,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: manual ? undefined : getSortedRowModel(),
  });
  const rows = table.getRowModel().rows;
  const anySortable = table.getAllLeafColumns().some((c) => c.getCanSort());
  return (
    <div className="relative overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
      <table className={tableClass}>
        <caption className="sr-only">{caption}</caption>
        <thead className={`${headClass} ${anySortable ? "" : "max-md:sr-only"}`}>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} className={headRowClass}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                const label = flexRender(header.column.columnDef.header, header.getContext());
                const sortable = header.column.getCanSort();
                return (
                  <th
                    key={header.id}
                    scope="col"
                    aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                    // On a card the headers that sort stay, as a row of sort buttons; the others are the cards' labels.
                    className={`px-4 py-3 text-left font-semibold whitespace-nowrap text-slate-700 max-md:p-0 ${sortable ? "" : "max-md:sr-only"} ${header.column.id === "actions" ? "md:sticky md:right-0 md:bg-slate-50" : ""}`}
                  >
                    {sortable ? (
                      <button type="button" onClick={header.column.getToggleSortingHandler()} className="inline-flex items-center gap-1 hover:text-slate-900">
                        {label}
                        {sorted === "asc" ? (
                          <ArrowUp aria-hidden className="h-3.5 w-3.5" />
                        ) : sorted === "desc" ? (
                          <ArrowDown aria-hidden className="h-3.5 w-3.5" />
                        ) : (
                          <ArrowUpDown aria-hidden className="h-3.5 w-3.5 text-slate-400" />
                        )}
                      </button>
                    ) : (
                      label
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody className={bodyClass}>
          {rows.length === 0 ? (
            <tr className="max-md:block">
              <td colSpan={columns.length} className="px-4 py-10 text-center text-slate-600 max-md:block">
                {empty ?? "Nothing to show."}
              </td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr key={row.id} className={rowClass}>
                {row.getVisibleCells().map((cell, i) => {
                  const meta = cell.column.columnDef.meta;
                  const kind = meta?.compact ?? (cell.column.id === "actions" ? "actions" : i === 0 ? "title" : "line");
                  const header = cell.column.columnDef.header;
                  return (
                    <td key={cell.id} data-label={meta?.label ?? (typeof header === "string" ? header : undefined)} className={`${cellBase} ${cellByKind[kind]}`}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </td>
                  );
                })}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
