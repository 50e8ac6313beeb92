"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/field";
import { submitKeepingValues } from "@/components/ui/submit-keeping-values";
import { GRACE_CHOICES as GRACE_PERIODS, GRACE_LABELS } from "@/lib/keys/lifecycle";
import { rotateKeyAction, type NewKeyState } from "../actions";
import type { KeyRow } from "./types";

const GRACE_CHOICES = GRACE_PERIODS.map((value) => ({ value, label: GRACE_LABELS[value] }));

type Props = { keyRow: KeyRow | null; onClose: () => void; onRotated: (secret: string, name: string) => void };

export function RotateKeyDialog({ keyRow, onClose, onRotated }: Props) {
  return (
    <Dialog open={keyRow !== null} onOpenChange={(open) => !open && onClose()} title={keyRow ? `Rotate “${keyRow.name}”?` : "Rotate key"}>
      {keyRow && <RotateForm key={keyRow.id} keyRow={keyRow} onClose={onClose} onRotated={onRotated} />}
    </Dialog>
  );
}

function RotateForm({ keyRow, onClose, onRotated }: { keyRow: KeyRow } & Omit<Props, "keyRow">) {
  const [state, action, pending] = useActionState<NewKeyState, FormData>(async (previous, form) => {
    const result = await rotateKeyAction(previous, form);
    if (!result.ok || !result.secret) return result;
    onRotated(result.secret, result.keyName ?? keyRow.name);
    return {};
  }, {});
  return (
    <form onSubmit={submitKeepingValues(action)} className="space-y-4">
      <input type="hidden" name="keyId" value={keyRow.id} />
      <p className="text-sm text-slate-700">
        The current key <code className="font-mono text-xs">{keyRow.masked}</code> will be permanently disabled and replaced by a new key with the same
        name, access and expiration policy. Anything that uses the current key must be given the new one.
      </p>
      <FormError message={state.message} />
      <fieldset>
        <legend className="text-sm font-medium text-slate-800">When should the old key stop working?</legend>
        <div className="mt-2 space-y-1.5 text-sm">
          {GRACE_CHOICES.map((c) => (
            <label key={c.value} className="flex items-center gap-2">
              <input type="radio" name="grace" value={c.value} defaultChecked={c.value === "immediately"} />
              {c.label}
            </label>
          ))}
        </div>
      </fieldset>
      <DialogActions>
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit" variant="danger" disabled={pending}>
          {pending ? "Rotating…" : "Rotate key"}
        </Button>
      </DialogActions>
    </form>
  );
}
