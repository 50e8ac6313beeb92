"use client";

import { useActionState } from "react";
import { ExpirationField } from "@/components/expiration-field";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { Field, FormError } from "@/components/ui/field";
import { AccessFields } from "@/components/key-edit-fields";
import { submitKeepingValues } from "@/components/ui/submit-keeping-values";
import type { ExpirationOffer } from "@/lib/keys/key-form";
import type { KeyProjectOption } from "@/lib/keys/project-options";
import { generateKeyAction, type NewKeyState } from "../actions";

type Props = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  projectOptions: KeyProjectOption[];
  expirationOffer: ExpirationOffer;
  onCreated: (secret: string, name: string) => void;
};

export function GenerateKeyDialog({ open, onOpenChange, projectOptions, expirationOffer, onCreated }: Props) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Generate API key" description="Name the key so you can recognize it later, for example “Production” or “My app”." wide>
      {/* Mounted only while open: each opening starts from an empty form. */}
      {open && <GenerateKeyForm projectOptions={projectOptions} expirationOffer={expirationOffer} onCancel={() => onOpenChange(false)} onCreated={onCreated} />}
    </Dialog>
  );
}

function GenerateKeyForm({ projectOptions, expirationOffer, onCancel, onCreated }: Omit<Props, "open" | "onOpenChange"> & { onCancel: () => void }) {
  const [state, action, pending] = useActionState<NewKeyState, FormData>(async (previous, form) => {
    const result = await generateKeyAction(previous, form);
    if (!result.ok || !result.secret) return result;
    // The key leaves this form's state at once: only the reveal dialog holds it, and only until it closes.
    onCreated(result.secret, result.keyName ?? "");
    return {};
  }, {});
  const errors = state.fieldErrors ?? {};

  return (
    <form onSubmit={submitKeepingValues(action)} className="space-y-5" noValidate>
      <FormError message={state.message} />
      <Field label="Name" name="name" required autoFocus autoComplete="off" hint="Up to 64 characters, different from your other keys." errors={errors.name} />

      <ExpirationField offer={expirationOffer} errors={errors} />

      <AccessFields projectOptions={projectOptions} errors={errors.restriction} />

      <DialogActions>
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" disabled={pending}>
          {pending ? "Generating…" : "Generate"}
        </Button>
      </DialogActions>
    </form>
  );
}
