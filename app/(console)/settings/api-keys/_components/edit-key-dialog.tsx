"use client";

import { useMemo } from "react";
import { KeyEditFields } from "@/components/key-edit-fields";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/field";
import { submitKeepingValues } from "@/components/ui/submit-keeping-values";
import { useDialogAction } from "@/components/use-dialog-action";
import { editExpirationOffer } from "@/lib/keys/key-form";
import type { KeyProjectOption } from "@/lib/keys/project-options";
import type { KeyPolicy } from "@/lib/policy/key-policy";
import { editKeyAction } from "../actions";
import type { KeyRow } from "./types";

type Props = { keyRow: KeyRow | null; policy: KeyPolicy; projectOptions: KeyProjectOption[]; onClose: () => void };

/** "Edit access key" (the SecureCloud guide's words): name, expiry and projects; the key itself stays the same. */
export function EditKeyDialog({ keyRow, policy, projectOptions, onClose }: Props) {
  return (
    <Dialog open={keyRow !== null} onOpenChange={(open) => !open && onClose()} title="Edit access key" description={keyRow ? `“${keyRow.name}” (${keyRow.masked}). The key itself does not change.` : undefined} wide>
      {keyRow && <EditForm key={keyRow.id} keyRow={keyRow} policy={policy} projectOptions={projectOptions} onClose={onClose} />}
    </Dialog>
  );
}

function EditForm({ keyRow, policy, projectOptions, onClose }: { keyRow: KeyRow } & Omit<Props, "keyRow">) {
  const [state, action, pending] = useDialogAction(editKeyAction, onClose);
  const offer = useMemo(() => editExpirationOffer(policy, "pat"), [policy]);
  const errors = state.fieldErrors ?? {};
  return (
    <form onSubmit={submitKeepingValues(action)} className="space-y-5" noValidate>
      <input type="hidden" name="keyId" value={keyRow.id} />
      <FormError message={state.ok ? undefined : state.message} />
      <KeyEditFields keyRow={keyRow} offer={offer} projectOptions={projectOptions} errors={errors} />
      <DialogActions>
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save changes"}
        </Button>
      </DialogActions>
    </form>
  );
}
