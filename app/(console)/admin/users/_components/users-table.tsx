"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { Ban, CircleCheck, KeyRound, Pencil, Trash2 } from "lucide-react";
import { createContext, use, useMemo, useState } from "react";
import { DataTable } from "@/components/data-table/data-table";
import { useUrlState } from "@/components/data-table/url-state";
import { formatDate, formatDateTime } from "@/lib/format";
import type { UserRow } from "@/lib/users/admin";
import { IconButton } from "../../_components/dialog-buttons";
import type { ProjectOption, RoleOption } from "../../_components/membership-picker";
import { EditUserDialog } from "./edit-user-dialog";
import { DeleteUserDialog, StatusDialog } from "./status-dialogs";
import { ViewKeyDialog } from "./view-key-dialog";

export type UserRowView = UserRow;

const badge = "inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset";

/** What every row's actions need; in context so that the columns stay one constant (see below). */
const RowContext = createContext<{ projects: ProjectOption[]; roles: RoleOption[]; currentUserId: string }>({ projects: [], roles: [], currentUserId: "" });

// Module-level: flexRender renders a cell function as a component, so a new function on each
// refresh would remount every row's actions and close an open dialog (such as a revealed key).
const columns: ColumnDef<UserRowView>[] = [
  // Sortable columns need an accessor; the server sorts (manual sorting), the values only mark them sortable.
  {
    id: "name",
    accessorFn: (u) => u.name,
    header: "Name / Username",
    cell: ({ row: { original: u } }) => (
      <div>
        <div className="font-medium text-slate-900">{u.name}</div>
        {u.name !== u.username && <div className="text-xs text-slate-500">{u.username}</div>}
      </div>
    ),
  },
  { id: "email", header: "Email", enableSorting: false, cell: ({ row }) => row.original.email ?? <span className="text-slate-400">—</span> },
  {
    id: "type",
    header: "Type",
    enableSorting: false,
    cell: ({ row: { original: u } }) => (
      <div className="flex flex-col items-start gap-1">
        <span>{u.kind === "api_account" ? "API account" : "User"}</span>
        {u.isOrgAdmin && <span className={`${badge} bg-indigo-50 text-indigo-700 ring-indigo-200`}>Global Admin</span>}
      </div>
    ),
  },
  {
    id: "projects",
    header: "Projects and roles",
    enableSorting: false,
    cell: ({ row: { original: u } }) =>
      u.memberships.length ? (
        <ul className="space-y-0.5">
          {u.memberships.map((m) => (
            <li key={m.projectId}>
              {m.projectName}: <span className="text-slate-600">{m.roleName}</span>
            </li>
          ))}
        </ul>
      ) : (
        <span className="text-slate-400">None</span>
      ),
  },
  {
    id: "status",
    header: "Status",
    enableSorting: false,
    cell: ({ row: { original: u } }) =>
      u.status === "active" ? (
        <span className={`${badge} bg-green-50 text-green-700 ring-green-200`}>Active</span>
      ) : (
        <span className={`${badge} bg-slate-100 text-slate-700 ring-slate-300`}>Disabled</span>
      ),
  },
  {
    id: "lastActive",
    accessorFn: (u) => u.lastActiveAt,
    header: "Last active",
    cell: ({ row: { original: u } }) => <span className="whitespace-nowrap">{formatDateTime(u.lastActiveAt, "Never")}</span>,
  },
  { id: "created", accessorFn: (u) => u.createdAt, header: "Created", cell: ({ row }) => <span className="whitespace-nowrap">{formatDate(row.original.createdAt)}</span> },
  { id: "actions", header: "Actions", enableSorting: false, cell: ({ row }) => <RowActions user={row.original} /> },
];

export function UsersTable({ rows, projects, roles, currentUserId }: { rows: UserRowView[]; projects: ProjectOption[]; roles: RoleOption[]; currentUserId: string }) {
  const { sorting, onSortingChange } = useUrlState();
  const context = useMemo(() => ({ projects, roles, currentUserId }), [projects, roles, currentUserId]);
  return (
    <RowContext value={context}>
      <DataTable
        data={rows}
        columns={columns}
        getRowId={(u) => u.id}
        caption="Users and API accounts"
        sorting={sorting.length ? sorting : [{ id: "created", desc: true }]}
        onSortingChange={onSortingChange}
        empty="No users match these filters."
      />
    </RowContext>
  );
}

type Open = "key" | "edit" | "status" | "delete" | null;

function RowActions({ user }: { user: UserRowView }) {
  const { projects, roles, currentUserId } = use(RowContext);
  const isSelf = user.id === currentUserId;
  const [open, setOpen] = useState<Open>(null);
  const onOpenChange = (which: Open) => (o: boolean) => setOpen(o ? which : null);
  const icon = "h-4 w-4";
  return (
    <div className="flex items-center gap-0.5">
      {user.kind === "api_account" && (
        <IconButton label="View API Key For Account" onClick={() => setOpen("key")}>
          <KeyRound aria-hidden className={icon} />
        </IconButton>
      )}
      <IconButton label="Edit projects and roles" onClick={() => setOpen("edit")}>
        <Pencil aria-hidden className={icon} />
      </IconButton>
      {user.status === "active" ? (
        <IconButton label="Disable" onClick={() => setOpen("status")} disabled={isSelf}>
          <Ban aria-hidden className={icon} />
        </IconButton>
      ) : (
        <IconButton label="Enable" onClick={() => setOpen("status")}>
          <CircleCheck aria-hidden className={icon} />
        </IconButton>
      )}
      <IconButton label="Delete" onClick={() => setOpen("delete")} disabled={isSelf}>
        <Trash2 aria-hidden className={icon} />
      </IconButton>
      {open === "key" && <ViewKeyDialog account={user} open onOpenChange={onOpenChange("key")} />}
      {open === "edit" && <EditUserDialog user={user} projects={projects} roles={roles} open onOpenChange={onOpenChange("edit")} />}
      {open === "status" && <StatusDialog user={user} open onOpenChange={onOpenChange("status")} />}
      {open === "delete" && <DeleteUserDialog user={user} open onOpenChange={onOpenChange("delete")} />}
    </div>
  );
}
