"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { Ban } from "lucide-react";
import { createContext, use, useMemo, useState } from "react";
import { DataTable } from "@/components/data-table/data-table";
import { useUrlState } from "@/components/data-table/url-state";
import { RowActions } from "@/components/dialog-kit";
import { KeyStatusBadge } from "@/components/key-status-badge";
import { Button } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import { BulkRevokeDialog, RevokeKeyDialog } from "./revoke-dialogs";
import type { InventoryRowView } from "./types";

const badge = "inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset";

type Selection = { selected: ReadonlySet<string>; toggle: (id: string, on: boolean) => void; canRevoke: boolean };
const SelectionContext = createContext<Selection>({ selected: new Set(), toggle: () => {}, canRevoke: false });

// Module-level: flexRender renders a cell function as a component, so a new function on each
// refresh would remount every row's cells and close an open dialog.
const columns: ColumnDef<InventoryRowView>[] = [
  // Sortable columns need an accessor; the server sorts (manual sorting), the values only mark them sortable.
  { id: "name", accessorFn: (k) => k.name, header: "Key", cell: ({ row }) => <KeyCell k={row.original} /> },
  {
    id: "owner",
    accessorFn: (k) => k.owner.name,
    header: "Owner",
    cell: ({ row: { original: k } }) => (
      <div className="max-w-40 min-w-28 break-words">
        <div className="font-medium text-slate-900">{k.owner.name}</div>
        {k.owner.name !== k.owner.username && <div className="text-xs text-slate-500">{k.owner.username}</div>}
        <div className="mt-1 flex flex-wrap gap-1">
          <span className="text-xs text-slate-600">{k.owner.kind === "api_account" ? "API account" : "Person"}</span>
          {k.owner.status === "disabled" && <span className={`${badge} bg-slate-100 text-slate-700 ring-slate-300`}>Disabled</span>}
        </div>
      </div>
    ),
  },
  {
    id: "projects",
    header: "Projects",
    enableSorting: false,
    cell: ({ row: { original: k } }) => (
      <div className="max-w-40 min-w-24 break-words">
        {k.projects.length ? k.projects.join(", ") : <span className="text-slate-500">None</span>}
        {k.restricted && <span className="block text-xs text-slate-500">Limited to these</span>}
      </div>
    ),
  },
  { id: "created", accessorFn: (k) => k.createdAt, header: "Created", cell: ({ row }) => <RelativeTime value={row.original.createdAt} className="whitespace-nowrap" /> },
  {
    id: "lastUsed",
    accessorFn: (k) => k.lastUsedAt,
    header: "Last used",
    cell: ({ row }) => <RelativeTime value={row.original.lastUsedAt} empty="Never" className="whitespace-nowrap" />,
  },
  {
    id: "requests",
    // Two lines, so that the table fits a 1280 px window.
    header: () => (
      <span className="inline-block whitespace-normal">
        Requests
        <span className="block font-normal">(30 days)</span>
      </span>
    ),
    meta: { label: "Requests (30 days)" },
    enableSorting: false,
    cell: ({ row: { original: k } }) => (
      <span className="tabular-nums">
        {k.accepted.toLocaleString("en-US")}
        {k.refused > 0 && <span className="block text-xs text-red-700">{k.refused.toLocaleString("en-US")} refused</span>}
      </span>
    ),
  },
  {
    id: "expires",
    accessorFn: (k) => k.expiresAt,
    header: "Expires",
    cell: ({ row }) => <RelativeTime value={row.original.expiresAt} empty="Never" className="whitespace-nowrap" />,
  },
  { id: "status", accessorFn: (k) => k.status, header: "Status", cell: ({ row }) => <KeyStatusBadge row={row.original} /> },
  { id: "actions", header: "Actions", enableSorting: false, meta: { compact: "actions" }, cell: ({ row }) => <KeyActions k={row.original} /> },
];

function KeyCell({ k }: { k: InventoryRowView }) {
  const { selected, toggle, canRevoke } = use(SelectionContext);
  const selectable = canRevoke && k.status !== "revoked";
  return (
    <div className="flex min-w-36 items-start gap-2">
      {selectable && (
        <input
          type="checkbox"
          aria-label={`Select ${k.name} of ${k.owner.name}`}
          checked={selected.has(k.id)}
          onChange={(e) => toggle(k.id, e.target.checked)}
          className="mt-0.5 h-4 w-4 shrink-0 rounded border-slate-300"
        />
      )}
      <div className={`max-w-48 break-words ${selectable || !canRevoke ? "" : "pl-6"}`}>
        <div className="font-medium text-slate-900">{k.name}</div>
        <code className="font-mono text-xs whitespace-nowrap text-slate-600">{k.masked}</code>
      </div>
    </div>
  );
}

function KeyActions({ k }: { k: InventoryRowView }) {
  const { canRevoke } = use(SelectionContext);
  if (!canRevoke) return null;
  return (
    <RowActions
      rowId={k.id}
      actions={[
        {
          key: "revoke",
          label: `Revoke ${k.name}`,
          icon: <Ban aria-hidden className="h-4 w-4" />,
          unavailable: k.status === "revoked" ? "This key is already revoked." : undefined,
          dialog: (close) => <RevokeKeyDialog keyRow={k} onClose={close} />,
        },
      ]}
    />
  );
}

export function KeysTable({ rows, canRevoke }: { rows: InventoryRowView[]; canRevoke: boolean }) {
  const { sorting, onSortingChange } = useUrlState();
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [bulkOpen, setBulkOpen] = useState(false);
  const revocable = useMemo(() => rows.filter((r) => r.status !== "revoked"), [rows]);
  // Only what is on this page and still revocable counts: a page change or a revocation drops the rest.
  const selected = useMemo(() => new Set(revocable.filter((r) => chosen.has(r.id)).map((r) => r.id)), [revocable, chosen]);
  const context = useMemo<Selection>(
    () => ({
      selected,
      canRevoke,
      toggle: (id, on) =>
        setChosen((old) => {
          const next = new Set(old);
          if (on) next.add(id);
          else next.delete(id);
          return next;
        }),
    }),
    [selected, canRevoke],
  );
  const all = revocable.length > 0 && selected.size === revocable.length;
  return (
    <SelectionContext value={context}>
      {canRevoke && (
        <div className="mb-2 flex min-h-9 flex-wrap items-center gap-3 text-sm">
          <label className="flex items-center gap-2 text-slate-700">
            <input
              type="checkbox"
              checked={all}
              disabled={!revocable.length}
              onChange={(e) => setChosen(e.target.checked ? new Set(revocable.map((r) => r.id)) : new Set())}
              className="h-4 w-4 rounded border-slate-300"
            />
            Select all on this page
          </label>
          {selected.size > 0 && (
            <Button size="sm" variant="danger" onClick={() => setBulkOpen(true)}>
              Revoke selected ({selected.size})
            </Button>
          )}
        </div>
      )}
      <DataTable
        data={rows}
        columns={columns}
        getRowId={(k) => k.id}
        caption="The organization's API keys"
        sorting={sorting.length ? sorting : [{ id: "created", desc: true }]}
        onSortingChange={onSortingChange}
        empty="No keys match these filters."
      />
      {bulkOpen && (
        <BulkRevokeDialog
          keys={revocable.filter((r) => selected.has(r.id))}
          onClose={(done) => {
            setBulkOpen(false);
            if (done) setChosen(new Set());
          }}
        />
      )}
    </SelectionContext>
  );
}
