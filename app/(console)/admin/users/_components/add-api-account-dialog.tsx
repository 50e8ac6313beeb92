"use client";

import { Bot } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, FormError } from "@/components/ui/field";
import { USERNAME_RULE } from "@/lib/users/schemas";
import { MembershipPicker, type ProjectOption, type RoleOption } from "../../_components/membership-picker";
import { FormButtons } from "@/components/dialog-kit";
import { useDialogAction } from "@/components/use-dialog-action";
import { createApiAccountAction } from "../actions";

export function AddApiAccountDialog({ projects, roles }: { projects: ProjectOption[]; roles: RoleOption[] }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button onClick={() => setOpen(true)}>
        <Bot aria-hidden className="h-4 w-4" />
        Add API Account
      </Button>
      <Dialog open={open} onOpenChange={setOpen} title="Add API Account" description="An account for a service or script. It has API access only and can never sign in to the console." wide>
        <AddApiAccountForm projects={projects} roles={roles} onDone={() => setOpen(false)} />
      </Dialog>
    </>
  );
}

function AddApiAccountForm({ projects, roles, onDone }: { projects: ProjectOption[]; roles: RoleOption[]; onDone: () => void }) {
  const [state, action, pending] = useDialogAction(createApiAccountAction, onDone);
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormError message={state.message && !state.ok ? state.message : undefined} />
      <Field
        label="API Account Username"
        name="username"
        autoComplete="off"
        spellCheck={false}
        required
        autoFocus
        defaultValue={state.values?.username}
        hint={USERNAME_RULE}
        errors={state.fieldErrors?.username}
      />
      <MembershipPicker projects={projects} roles={roles} errors={state.fieldErrors?.memberships} required />
      <FormButtons onCancel={onDone} pending={pending} submit="Create Account" pendingLabel="Creating…" />
    </form>
  );
}
