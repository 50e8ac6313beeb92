"use client";

import { ConfirmForm } from "@/components/dialog-kit";
import { Dialog } from "@/components/ui/dialog";
import { revokeKeyAction } from "../actions";
import type { KeyRow } from "./types";

export function RevokeKeyDialog({ keyRow, onClose }: { keyRow: KeyRow | null; onClose: () => void }) {
  return (
    <Dialog open={keyRow !== null} onOpenChange={(open) => !open && onClose()} title={keyRow ? `Revoke “${keyRow.name}”?` : "Revoke key"}>
      {keyRow && (
        <ConfirmForm key={keyRow.id} action={revokeKeyAction} hidden={{ keyId: keyRow.id }} submit="Revoke key" pendingLabel="Revoking…" onDone={onClose}>
          <p className="text-sm text-slate-700">
            The key <strong>{keyRow.name}</strong> (<code className="font-mono text-xs">{keyRow.masked}</code>) stops working at once: every request
            that presents it is refused. This cannot be undone; the key stays listed as Revoked.
          </p>
        </ConfirmForm>
      )}
    </Dialog>
  );
}
