"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/field";
import { toast } from "@/components/ui/toaster";
import { revokeKeyAction, type RevokeKeyState } from "../actions";
import type { KeyRow } from "./types";

export function RevokeKeyDialog({ keyRow, onClose }: { keyRow: KeyRow | null; onClose: () => void }) {
  return (
    <Dialog open={keyRow !== null} onOpenChange={(open) => !open && onClose()} title={keyRow ? `Revoke “${keyRow.name}”?` : "Revoke key"}>
      {keyRow && <RevokeForm key={keyRow.id} keyRow={keyRow} onClose={onClose} />}
    </Dialog>
  );
}

function RevokeForm({ keyRow, onClose }: { keyRow: KeyRow; onClose: () => void }) {
  const [state, action, pending] = useActionState<RevokeKeyState, FormData>(async (previous, form) => {
    const result = await revokeKeyAction(previous, form);
    if (result.ok) {
      toast(`Key “${keyRow.name}” revoked.`);
      onClose();
    }
    return result;
  }, {});
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="keyId" value={keyRow.id} />
      <p className="text-sm text-slate-700">
        The key <strong>{keyRow.name}</strong> (<code className="font-mono text-xs">{keyRow.masked}</code>) stops working at once: every request that
        presents it is refused. This cannot be undone; the key stays listed as Revoked.
      </p>
      <FormError message={state.error} />
      <DialogActions>
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit" variant="danger" disabled={pending}>
          {pending ? "Revoking…" : "Revoke key"}
        </Button>
      </DialogActions>
    </form>
  );
}
