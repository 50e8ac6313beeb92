"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { useMemo } from "react";
import { DataTable } from "@/components/data-table/data-table";
import { actionLabel } from "@/lib/audit/actions";
import type { AuditRow } from "@/lib/audit/list";
import { formatDateTime } from "@/lib/format";

function Details({ details }: { details: Record<string, unknown> | null }) {
  if (!details || !Object.keys(details).length) return <span className="text-slate-400">—</span>;
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-2 text-xs">
      {Object.entries(details).map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-slate-500">{k}</dt>
          <dd className="font-mono break-all">{typeof v === "string" ? v : JSON.stringify(v)}</dd>
        </div>
      ))}
    </dl>
  );
}

export function AuditTable({ rows }: { rows: AuditRow[] }) {
  const columns = useMemo<ColumnDef<AuditRow>[]>(
    () => [
      { id: "at", header: "Time", enableSorting: false, cell: ({ row }) => <span className="whitespace-nowrap">{formatDateTime(row.original.at)}</span> },
      { id: "actor", header: "Actor", enableSorting: false, cell: ({ row }) => row.original.actorLabel },
      { id: "action", header: "Action", enableSorting: false, cell: ({ row }) => <span title={row.original.action}>{actionLabel(row.original.action)}</span> },
      {
        id: "target",
        header: "Target",
        enableSorting: false,
        cell: ({ row: { original: e } }) => (e.targetLabel ? `${e.targetLabel}${e.targetType ? ` (${e.targetType.replace("_", " ")})` : ""}` : "—"),
      },
      { id: "ip", header: "IP address", enableSorting: false, cell: ({ row }) => row.original.ip ?? "—" },
      { id: "details", header: "Details", enableSorting: false, cell: ({ row }) => <Details details={row.original.details} /> },
    ],
    [],
  );
  return <DataTable data={rows} columns={columns} getRowId={(e) => String(e.id)} caption="Audit events, newest first" empty="No events match these filters." />;
}
