"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { useId, useMemo, useState } from "react";
import { DataTable } from "@/components/data-table/data-table";
import { LocalTime } from "@/components/ui/relative-time";
import type { AuditRow } from "@/lib/audit/list";
import type { Sentence } from "@/lib/audit/sentences";

function SentenceText({ sentence }: { sentence: Sentence }) {
  return (
    <>
      {sentence.map((part, i) => (typeof part === "string" ? <span key={i}>{part}</span> : <LocalTime key={i} value={part.at} format="short" />))}
    </>
  );
}

/** The event as recorded, one click away from its sentence. */
function RawDetails({ event }: { event: AuditRow }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const raw = { action: event.action, actor: event.actorLabel, target: { type: event.targetType, id: event.targetId, label: event.targetLabel }, details: event.details };
  return (
    <>
      <button
        type="button"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
        className="ml-2 rounded px-1 text-xs font-medium text-indigo-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        {open ? "Hide details" : "Details"}
      </button>
      <pre id={id} hidden={!open} className="mt-2 max-w-full overflow-x-auto rounded bg-slate-50 p-2 text-xs break-all whitespace-pre-wrap text-slate-700">
        {open ? JSON.stringify(raw, null, 2) : null}
      </pre>
    </>
  );
}

export function AuditTable({ rows }: { rows: AuditRow[] }) {
  const columns = useMemo<ColumnDef<AuditRow>[]>(
    () => [
      { id: "at", header: "Time", enableSorting: false, cell: ({ row }) => <LocalTime value={row.original.at} className="whitespace-nowrap" /> },
      {
        id: "event",
        header: "Event",
        enableSorting: false,
        meta: { compact: "title" },
        cell: ({ row }) => (
          <div className="min-w-0">
            <SentenceText sentence={row.original.sentence} />
            <RawDetails event={row.original} />
          </div>
        ),
      },
      { id: "ip", header: "IP address", enableSorting: false, cell: ({ row }) => row.original.ip ?? "—" },
    ],
    [],
  );
  return <DataTable data={rows} columns={columns} getRowId={(e) => String(e.id)} caption="Audit events, newest first" empty="No events match these filters." />;
}
