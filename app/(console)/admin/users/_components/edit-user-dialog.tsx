"use client";

import { Dialog } from "@/components/ui/dialog";
import { CheckboxField, Field, FormError } from "@/components/ui/field";
import { MembershipPicker, type ProjectOption, type RoleOption } from "../../_components/membership-picker";
import { FormButtons } from "@/components/dialog-kit";
import { useDialogAction } from "@/components/use-dialog-action";
import { updateUserAction } from "../actions";
import type { UserRowView } from "./users-table";

export function EditUserDialog({
  user,
  projects,
  roles,
  open,
  onOpenChange,
}: {
  user: UserRowView;
  projects: ProjectOption[];
  roles: RoleOption[];
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={`Edit ${user.username}`} description="Projects and roles take effect for this user's keys at once." wide>
      <EditUserForm user={user} projects={projects} roles={roles} onDone={() => onOpenChange(false)} />
    </Dialog>
  );
}

function EditUserForm({ user, projects, roles, onDone }: { user: UserRowView; projects: ProjectOption[]; roles: RoleOption[]; onDone: () => void }) {
  const [state, action, pending] = useDialogAction(updateUserAction, onDone);
  const human = user.kind === "human";
  const known = ["name", "memberships"];
  const other = Object.entries(state.fieldErrors ?? {})
    .filter(([k]) => !known.includes(k))
    .flatMap(([, v]) => v ?? []);
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="userId" value={user.id} />
      <input type="hidden" name="kind" value={user.kind} />
      <FormError message={state.message && !state.ok ? state.message : other.join(" ") || undefined} />
      {human && (
        <>
          <Field label="Name" name="name" required defaultValue={state.values?.name ?? user.name} errors={state.fieldErrors?.name} />
          <div className="grid gap-3 sm:grid-cols-2">
            <CheckboxField label="Global Admin" name="isOrgAdmin" defaultChecked={user.isOrgAdmin} hint="Can use Global Administration." />
            <CheckboxField label="API access" name="apiAccess" defaultChecked={user.apiAccess} hint="Can generate personal API keys." />
          </div>
        </>
      )}
      <MembershipPicker
        projects={projects}
        roles={roles}
        initial={user.memberships.map((m) => ({ projectId: m.projectId, roleId: m.roleId }))}
        errors={state.fieldErrors?.memberships}
        required={!human}
      />
      <FormButtons onCancel={onDone} pending={pending} submit="Save changes" pendingLabel="Saving…" />
    </form>
  );
}
