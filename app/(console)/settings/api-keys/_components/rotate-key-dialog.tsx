"use client";

import { useActionState, useMemo, useState } from "react";
import { ExpirationField } from "@/components/expiration-field";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/field";
import { formatExact } from "@/components/ui/relative-time";
import { submitKeepingValues } from "@/components/ui/submit-keeping-values";
import { expirationOffer } from "@/lib/keys/key-form";
import { cutOffAfter, graceChoicesWithin, type GracePeriod } from "@/lib/keys/lifecycle";
import type { KeyPolicy } from "@/lib/policy/key-policy";
import { rotateKeyAction, type NewKeyState } from "../actions";
import type { KeyRow } from "./types";

type Props = { keyRow: KeyRow | null; policy: KeyPolicy; onClose: () => void; onRotated: (secret: string, name: string) => void };

export function RotateKeyDialog({ keyRow, policy, onClose, onRotated }: Props) {
  return (
    <Dialog open={keyRow !== null} onOpenChange={(open) => !open && onClose()} title={keyRow ? `Rotate “${keyRow.name}”?` : "Rotate key"}>
      {keyRow && <RotateForm key={keyRow.id} keyRow={keyRow} policy={policy} onClose={onClose} onRotated={onRotated} />}
    </Dialog>
  );
}

function RotateForm({ keyRow, policy, onClose, onRotated }: { keyRow: KeyRow } & Omit<Props, "keyRow">) {
  const [state, action, pending] = useActionState<NewKeyState, FormData>(async (previous, form) => {
    const result = await rotateKeyAction(previous, form);
    if (!result.ok || !result.secret) return result;
    onRotated(result.secret, result.keyName ?? keyRow.name);
    return {};
  }, {});
  const graces = useMemo(() => graceChoicesWithin(policy.maxGraceSeconds), [policy]);
  const offer = useMemo(() => expirationOffer(policy, "pat", keyRow.expiresInDays), [policy, keyRow.expiresInDays]);
  const [grace, setGrace] = useState<GracePeriod>("immediately");
  // The clock as of the last choice: the promise is about "from now".
  const [chosenAt, setChosenAt] = useState(() => Date.now());
  const errors = state.fieldErrors ?? {};
  // What the server will do: the grace period's end, never later than the key's own expiry.
  const cutOff = cutOffAfter(grace, keyRow.ownExpiresAt ? new Date(keyRow.ownExpiresAt) : null, chosenAt);
  const cappedByExpiry = grace !== "immediately" && keyRow.ownExpiresAt !== null && cutOff.getTime() === Date.parse(keyRow.ownExpiresAt);
  return (
    <form onSubmit={submitKeepingValues(action)} className="space-y-4">
      <input type="hidden" name="keyId" value={keyRow.id} />
      <p className="text-sm text-slate-700" data-testid="rotate-promise">
        {grace === "immediately" ? (
          <>
            The current key <code className="font-mono text-xs">{keyRow.masked}</code> will be permanently disabled and replaced by a new key
            with the same name and access.
          </>
        ) : (
          <>
            The current key <code className="font-mono text-xs">{keyRow.masked}</code> keeps working until{" "}
            <strong>{formatExact(cutOff)}</strong>
            {cappedByExpiry ? " (its own expiry)" : ""} and stops working at that time. It is replaced now by a new key with the same name and access.
          </>
        )}{" "}
        Anything that uses the current key must be given the new one.
      </p>
      <FormError message={state.message} />
      <fieldset>
        <legend className="text-sm font-medium text-slate-800">When should the old key stop working?</legend>
        <div className="mt-2 space-y-1.5 text-sm">
          {graces.map((c) => (
            <label key={c.value} className="flex items-center gap-2">
              <input type="radio" name="grace" value={c.value} checked={grace === c.value} onChange={() => {
                  setGrace(c.value);
                  setChosenAt(Date.now());
                }} />
              {c.label}
            </label>
          ))}
        </div>
        {graces.length < 4 && <p className="mt-1 text-xs text-slate-500">Your organization’s key policy limits how long the old key may keep working.</p>}
        {errors.grace && <p className="mt-1 text-sm text-red-600">{errors.grace.join(" ")}</p>}
      </fieldset>
      <ExpirationField offer={offer} errors={errors} label="New key’s expiration" />
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
