"use client";

import { UserPlus } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { CheckboxField, Field, FormError } from "@/components/ui/field";
import { MembershipPicker, type ProjectOption, type RoleOption } from "../../_components/membership-picker";
import { FormButtons } from "@/components/dialog-kit";
import { useDialogAction } from "@/components/use-dialog-action";
import { createUserAction, type CreateUserState } from "../actions";
import { SecretField } from "@/components/secret-field";

export function AddUserDialog({ projects, roles }: { projects: ProjectOption[]; roles: RoleOption[] }) {
  const [open, setOpen] = useState(false);
  const [created, setCreated] = useState<CreateUserState["created"]>();
  const close = () => {
    setOpen(false);
    setCreated(undefined);
  };
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        <UserPlus aria-hidden className="h-4 w-4" />
        Add User
      </Button>
      <Dialog
        open={open}
        onOpenChange={(o) => (o ? setOpen(true) : close())}
        title={created ? "User added" : "Add User"}
        description={created ? undefined : "A person who signs in to the console. You give them an initial password, which they change at first sign-in."}
        wide
      >
        {created ? (
          <div className="space-y-4">
            <p className="text-sm">
              Give {created.name} ({created.email}) this initial password. It is shown only now; they must change it when they first sign in.
            </p>
            <SecretField label="Initial password" value={created.initialPassword} copiedMessage="Initial password copied" />
            <DialogActions>
              <Button onClick={close}>Done</Button>
            </DialogActions>
          </div>
        ) : (
          <AddUserForm projects={projects} roles={roles} onCreated={setCreated} onCancel={close} />
        )}
      </Dialog>
    </>
  );
}

function AddUserForm({
  projects,
  roles,
  onCreated,
  onCancel,
}: {
  projects: ProjectOption[];
  roles: RoleOption[];
  onCreated: (c: CreateUserState["created"]) => void;
  onCancel: () => void;
}) {
  const [state, action, pending] = useDialogAction<CreateUserState>(createUserAction, (s) => onCreated(s.created));
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormError message={state.message && !state.ok ? state.message : undefined} />
      <Field label="Name" name="name" autoComplete="off" required autoFocus defaultValue={state.values?.name} errors={state.fieldErrors?.name} />
      <Field label="Email" name="email" type="email" autoComplete="off" required defaultValue={state.values?.email} errors={state.fieldErrors?.email} />
      <div className="grid gap-3 sm:grid-cols-2">
        <CheckboxField label="Global Admin" name="isOrgAdmin" defaultChecked={state.values?.isOrgAdmin === "on"} hint="Can use Global Administration." />
        <CheckboxField label="API access" name="apiAccess" defaultChecked={state.values?.apiAccess === "on"} hint="Can generate personal API keys." />
      </div>
      <MembershipPicker projects={projects} roles={roles} errors={state.fieldErrors?.memberships} />
      <FormButtons onCancel={onCancel} pending={pending} submit="Add User" pendingLabel="Adding…" />
    </form>
  );
}
