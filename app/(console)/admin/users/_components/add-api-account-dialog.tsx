"use client";

import { Bot } from "lucide-react";
import { useMemo, useState } from "react";
import { ExpirationField } from "@/components/expiration-field";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, FormError } from "@/components/ui/field";
import { expirationOffer } from "@/lib/keys/key-form";
import type { KeyPolicy } from "@/lib/policy/key-policy";
import { USERNAME_RULE } from "@/lib/users/schemas";
import { MembershipPicker, type ProjectOption, type RoleOption } from "../../_components/membership-picker";
import { FormButtons } from "@/components/dialog-kit";
import { useDialogAction } from "@/components/use-dialog-action";
import { createApiAccountAction } from "../actions";

export function AddApiAccountDialog({ projects, roles, policy }: { projects: ProjectOption[]; roles: RoleOption[]; policy: KeyPolicy }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button onClick={() => setOpen(true)}>
        <Bot aria-hidden className="h-4 w-4" />
        Add API Account
      </Button>
      <Dialog open={open} onOpenChange={setOpen} title="Add API Account" description="An account for a service or script. It has API access only and can never sign in to the console." wide>
        <AddApiAccountForm projects={projects} roles={roles} policy={policy} onDone={() => setOpen(false)} />
      </Dialog>
    </>
  );
}

function AddApiAccountForm({ projects, roles, policy, onDone }: { projects: ProjectOption[]; roles: RoleOption[]; policy: KeyPolicy; onDone: () => void }) {
  const [state, action, pending] = useDialogAction(createApiAccountAction, onDone);
  const offer = useMemo(() => expirationOffer(policy, "sa"), [policy]);
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
      <ExpirationField offer={offer} errors={state.fieldErrors ?? {}} label="Key expiration" />
      <FormButtons onCancel={onDone} pending={pending} submit="Create Account" pendingLabel="Creating…" />
    </form>
  );
}
