"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { Pencil, ShieldPlus, Trash2 } from "lucide-react";
import { useMemo, useState } from "react";
import { DataTable } from "@/components/data-table/data-table";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { Field, FormError, TextAreaField } from "@/components/ui/field";
import type { RoleRow } from "@/lib/roles";
import { PERMISSION_HELP } from "@/lib/roles/schemas";
import { useDialogAction } from "../../_components/use-dialog-action";
import { createRoleAction, deleteRoleAction, updateRoleAction } from "../actions";

export function CreateRoleDialog() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button onClick={() => setOpen(true)}>
        <ShieldPlus aria-hidden className="h-4 w-4" />
        Create role
      </Button>
      <Dialog open={open} onOpenChange={setOpen} title="Create role">
        <RoleForm action={createRoleAction} submit="Create role" onDone={() => setOpen(false)} />
      </Dialog>
    </>
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
      <DialogActions>
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : submit}
        </Button>
      </DialogActions>
    </form>
  );
}

function DeleteRoleForm({ role, onDone }: { role: RoleRow; onDone: () => void }) {
  const [state, formAction, pending] = useDialogAction(deleteRoleAction, onDone);
  return (
    <form action={formAction} className="space-y-4">
      <input type="hidden" name="roleId" value={role.id} />
      <FormError message={state.ok ? undefined : state.message} />
      <p className="text-sm text-slate-700">{role.name} will no longer be available. This cannot be undone.</p>
      <DialogActions>
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" variant="danger" disabled={pending}>
          {pending ? "Deleting…" : "Delete role"}
        </Button>
      </DialogActions>
    </form>
  );
}

function RowActions({ role }: { role: RoleRow }) {
  const [open, setOpen] = useState<"edit" | "delete" | null>(null);
  const close = () => setOpen(null);
  if (role.builtIn) return <span className="text-xs text-slate-500">Built-in: not editable</span>;
  return (
    <div className="flex gap-0.5">
      <button type="button" aria-label={`Edit ${role.name}`} title="Edit" onClick={() => setOpen("edit")} className="rounded-md p-1.5 text-slate-600 hover:bg-slate-100">
        <Pencil aria-hidden className="h-4 w-4" />
      </button>
      <button type="button" aria-label={`Delete ${role.name}`} title="Delete" onClick={() => setOpen("delete")} className="rounded-md p-1.5 text-slate-600 hover:bg-slate-100">
        <Trash2 aria-hidden className="h-4 w-4" />
      </button>
      <Dialog open={open === "edit"} onOpenChange={(o) => setOpen(o ? "edit" : null)} title={`Edit ${role.name}`} description="Every key whose owner holds this role gets the new permissions at once.">
        <RoleForm action={updateRoleAction} submit="Save" role={role} onDone={close} />
      </Dialog>
      <Dialog open={open === "delete"} onOpenChange={(o) => setOpen(o ? "delete" : null)} title={`Delete ${role.name}?`}>
        <DeleteRoleForm role={role} onDone={close} />
      </Dialog>
    </div>
  );
}

export function RolesTable({ roles }: { roles: RoleRow[] }) {
  const columns = useMemo<ColumnDef<RoleRow>[]>(
    () => [
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
      { id: "actions", header: "Actions", enableSorting: false, cell: ({ row }) => <RowActions role={row.original} /> },
    ],
    [],
  );
  return <DataTable data={roles} columns={columns} getRowId={(r) => r.id} caption="Roles" />;
}
