"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { Pencil, ShieldPlus, Trash2 } from "lucide-react";
import { DataTable } from "@/components/data-table/data-table";
import { Field, FormError, TextAreaField } from "@/components/ui/field";
import type { RoleRow } from "@/lib/roles";
import { PERMISSION_HELP } from "@/lib/roles/schemas";
import { ConfirmForm, DialogButton, FormButtons, RowActions, rowDialog } from "@/components/dialog-kit";
import { useDialogAction } from "@/components/use-dialog-action";
import { createRoleAction, deleteRoleAction, updateRoleAction } from "../actions";

export function CreateRoleDialog() {
  return (
    <DialogButton label="Create role" icon={<ShieldPlus aria-hidden className="h-4 w-4" />}>
      {(close) => <RoleForm action={createRoleAction} submit="Create role" onDone={close} />}
    </DialogButton>
  );
}

function RoleForm({ action, submit, role, onDone }: { action: typeof createRoleAction; submit: string; role?: RoleRow; onDone: () => void }) {
  const [state, formAction, pending] = useDialogAction(action, onDone);
  return (
    <form action={formAction} className="space-y-4" noValidate>
      {role && <input type="hidden" name="roleId" value={role.id} />}
      <FormError message={state.ok ? undefined : state.message} />
      <Field label="Name" name="name" required autoFocus defaultValue={state.values?.name ?? role?.name} errors={state.fieldErrors?.name} />
      <Field label="Description" name="description" defaultValue={state.values?.description ?? role?.description} errors={state.fieldErrors?.description} />
      <TextAreaField
        label="Permissions"
        name="permissions"
        rows={5}
        spellCheck={false}
        defaultValue={state.values?.permissions ?? role?.permissions.join("\n")}
        hint={PERMISSION_HELP}
        errors={state.fieldErrors?.permissions}
      />
      <FormButtons onCancel={onDone} pending={pending} submit={submit} pendingLabel="Saving…" />
    </form>
  );
}

function RoleActions({ role }: { role: RoleRow }) {
  if (role.builtIn) return <span className="text-xs text-slate-500">Built-in: not editable</span>;
  return (
    <RowActions
      rowId={role.id}
      actions={[
        {
          key: "edit",
          label: `Edit ${role.name}`,
          icon: <Pencil aria-hidden className="h-4 w-4" />,
          dialog: rowDialog({
            title: `Edit ${role.name}`,
            description: "Every key whose owner holds this role gets the new permissions at once.",
            render: (close) => <RoleForm action={updateRoleAction} submit="Save" role={role} onDone={close} />,
          }),
        },
        {
          key: "delete",
          label: `Delete ${role.name}`,
          icon: <Trash2 aria-hidden className="h-4 w-4" />,
          dialog: rowDialog({ title: `Delete ${role.name}?`, render: (close) => (
            <ConfirmForm action={deleteRoleAction} hidden={{ roleId: role.id }} submit="Delete role" pendingLabel="Deleting…" onDone={close}>
              <p className="text-sm text-slate-700">{role.name} will no longer be available. This cannot be undone.</p>
            </ConfirmForm>
          ) }),
        },
      ]}
    />
  );
}

// Module-level, so that the cell components keep their identity across refreshes.
const columns: ColumnDef<RoleRow>[] = [
  {
    accessorKey: "name",
    header: "Name",
    cell: ({ row: { original: r } }) => (
      <div>
        <span className="font-medium">{r.name}</span>
        {r.builtIn && <span className="ml-2 rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-700">Built-in</span>}
        {r.description && <div className="text-xs text-slate-500">{r.description}</div>}
      </div>
    ),
  },
  {
    id: "permissions",
    header: "Permissions",
    enableSorting: false,
    cell: ({ row }) => (
      <ul className="flex flex-wrap gap-1">
        {row.original.permissions.map((p) => (
          <li key={p}>
            <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs">{p}</code>
          </li>
        ))}
      </ul>
    ),
  },
  { accessorKey: "memberCount", header: "Members" },
  { id: "actions", header: "Actions", enableSorting: false, cell: ({ row }) => <RoleActions role={row.original} /> },
];

export function RolesTable({ roles }: { roles: RoleRow[] }) {
  return <DataTable data={roles} columns={columns} getRowId={(r) => r.id} caption="Roles" />;
}
