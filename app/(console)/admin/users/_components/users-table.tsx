"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { Ban, CircleCheck, KeyRound, LogOut, Pencil, RotateCcwKey, ShieldX, Trash2 } from "lucide-react";
import { createContext, use, useMemo } from "react";
import { DataTable } from "@/components/data-table/data-table";
import { useUrlState } from "@/components/data-table/url-state";
import { RelativeTime } from "@/components/ui/relative-time";
import type { KeyProjectOption } from "@/lib/keys/project-options";
import type { KeyPolicy } from "@/lib/policy/key-policy";
import type { UserRow } from "@/lib/users/admin";
import { RowActions } from "@/components/dialog-kit";
import type { ProjectOption, RoleOption } from "../../_components/membership-picker";
import { EditUserDialog } from "./edit-user-dialog";
import { ResetPasswordDialog, RevokeAllKeysDialog, SignOutEverywhereDialog } from "./session-dialogs";
import { DeleteUserDialog, StatusDialog } from "./status-dialogs";
import { ViewKeyDialog } from "./view-key-dialog";

export type UserRowView = UserRow;

const badge = "inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset";

/** What every row's actions need; in context so that the columns stay one constant (see below). */
const RowContext = createContext<{ projects: ProjectOption[]; roles: RoleOption[]; currentUserId: string; policy: KeyPolicy | null; keyOptions: Record<string, KeyProjectOption[]> }>({
  projects: [],
  roles: [],
  currentUserId: "",
  policy: null,
  keyOptions: {},
});

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
  {
    id: "email",
    header: "Email",
    enableSorting: false,
    cell: ({ row }) => (row.original.email ? <span className="max-md:break-all">{row.original.email}</span> : <span className="text-slate-500">—</span>),
  },
  {
    id: "type",
    header: "Type",
    enableSorting: false,
    cell: ({ row: { original: u } }) => (
      <div className="flex flex-col items-start gap-1">
        <span>{u.kind === "api_account" ? "API account" : "User"}</span>
        {u.key?.expiresAt && (
          <span className="text-xs text-slate-500">
            Key expires <RelativeTime value={u.key.expiresAt} />
          </span>
        )}
        {u.previousKey && (
          <span className="text-xs text-amber-800">
            Previous key works until <RelativeTime value={u.previousKey.stopsAt} />
          </span>
        )}
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
        <ul className="min-w-48 space-y-0.5">
          {u.memberships.map((m) => (
            <li key={m.projectId}>
              {m.projectName}: <span className="text-slate-600">{m.roleName}</span>
            </li>
          ))}
        </ul>
      ) : (
        <span className="text-slate-500">None</span>
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
    cell: ({ row: { original: u } }) => <RelativeTime value={u.lastActiveAt} empty="Never" className="whitespace-nowrap" />,
  },
  {
    id: "created",
    accessorFn: (u) => u.createdAt,
    header: "Created",
    meta: { compact: "hidden" },
    cell: ({ row }) => <RelativeTime value={row.original.createdAt} className="whitespace-nowrap" />,
  },
  { id: "actions", header: "Actions", enableSorting: false, meta: { compact: "actions" }, cell: ({ row }) => <UserActions user={row.original} /> },
];

export function UsersTable({
  rows,
  projects,
  roles,
  currentUserId,
  policy,
  keyOptions,
}: {
  rows: UserRowView[];
  projects: ProjectOption[];
  roles: RoleOption[];
  currentUserId: string;
  policy: KeyPolicy;
  /** Each API account's memberships on this page, within which an admin may limit its key. */
  keyOptions: Record<string, KeyProjectOption[]>;
}) {
  const { sorting, onSortingChange } = useUrlState();
  const context = useMemo(() => ({ projects, roles, currentUserId, policy, keyOptions }), [projects, roles, currentUserId, policy, keyOptions]);
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

const icon = "h-4 w-4";

/** The row's actions, one entry each: what Global Administration can do to this person or account. */
function UserActions({ user }: { user: UserRowView }) {
  const { projects, roles, currentUserId, policy, keyOptions } = use(RowContext);
  const isSelf = user.id === currentUserId;
  const dialogProps = (close: () => void) => ({ open: true, onOpenChange: (o: boolean) => !o && close() });
  return (
    <RowActions
      rowId={user.id}
      actions={[
        user.kind === "api_account" && {
          key: "key",
          label: "View API Key For Account",
          icon: <KeyRound aria-hidden className={icon} />,
          dialog: (close) => <ViewKeyDialog account={user} policy={policy} projectOptions={keyOptions[user.id] ?? []} names={{ projects, roles }} {...dialogProps(close)} />,
        },
        {
          key: "edit",
          label: "Edit projects and roles",
          icon: <Pencil aria-hidden className={icon} />,
          dialog: (close) => <EditUserDialog user={user} projects={projects} roles={roles} {...dialogProps(close)} />,
        },
        {
          // One key for both: the button stays in place (and keeps focus) when Disable becomes Enable.
          key: "status",
          label: user.status === "active" ? "Disable" : "Enable",
          icon: user.status === "active" ? <Ban aria-hidden className={icon} /> : <CircleCheck aria-hidden className={icon} />,
          unavailable: isSelf && user.status === "active" ? "You cannot disable your own account." : undefined,
          dialog: (close) => <StatusDialog user={user} {...dialogProps(close)} />,
        },
        {
          key: "revokeKeys",
          label: "Revoke all keys",
          icon: <ShieldX aria-hidden className={icon} />,
          dialog: (close) => <RevokeAllKeysDialog user={user} {...dialogProps(close)} />,
        },
        user.kind === "human" && {
          key: "signOut",
          label: "Sign out everywhere",
          icon: <LogOut aria-hidden className={icon} />,
          dialog: (close) => <SignOutEverywhereDialog user={user} {...dialogProps(close)} />,
        },
        user.kind === "human" && {
          key: "reset",
          label: "Reset password",
          icon: <RotateCcwKey aria-hidden className={icon} />,
          unavailable: isSelf ? "Change your own password on your User Profile." : undefined,
          dialog: (close) => <ResetPasswordDialog user={user} {...dialogProps(close)} />,
        },
        {
          key: "delete",
          label: "Delete",
          icon: <Trash2 aria-hidden className={icon} />,
          unavailable: isSelf ? "You cannot delete your own account." : undefined,
          dialog: (close) => <DeleteUserDialog user={user} {...dialogProps(close)} />,
        },
      ]}
    />
  );
}
