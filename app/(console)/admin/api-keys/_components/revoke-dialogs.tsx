"use client";

import { ConfirmForm, FormButtons } from "@/components/dialog-kit";
import { Dialog } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/field";
import { useDialogAction } from "@/components/use-dialog-action";
import { adminRevokeKeyAction, adminRevokeKeysAction } from "../actions";
import type { InventoryRowView } from "./types";

const ownerWords = (k: InventoryRowView) => (k.owner.kind === "api_account" ? `API account ${k.owner.username}` : k.owner.name);

export function RevokeKeyDialog({ keyRow: k, onClose }: { keyRow: InventoryRowView; onClose: () => void }) {
  return (
    <Dialog open onOpenChange={(o) => !o && onClose()} title={`Revoke “${k.name}”?`}>
      <ConfirmForm action={adminRevokeKeyAction} hidden={{ keyId: k.id }} submit="Revoke key" pendingLabel="Revoking…" onDone={onClose}>
        <p className="text-sm text-slate-700">
          {ownerWords(k)}’s key <code className="font-mono text-xs">{k.masked}</code> stops working at once, everywhere, and cannot be restored. Keys
          made with it stop too. {k.owner.kind === "human" ? "They" : "Its admins"} see it as “Revoked by an administrator”.
        </p>
      </ConfirmForm>
    </Dialog>
  );
}

export function BulkRevokeDialog({ keys, onClose }: { keys: InventoryRowView[]; onClose: (done: boolean) => void }) {
  const [state, action, pending] = useDialogAction(adminRevokeKeysAction, () => onClose(true));
  const owners = new Set(keys.map((k) => k.owner.id)).size;
  return (
    <Dialog open onOpenChange={(o) => !o && onClose(false)} title={`Revoke ${keys.length === 1 ? "1 key" : `${keys.length} keys`}?`}>
      <form action={action} className="space-y-4">
        {keys.map((k) => (
          <input key={k.id} type="hidden" name="keyId" value={k.id} />
        ))}
        <FormError message={state.ok ? undefined : state.message} />
        <p className="text-sm text-slate-700">
          These keys of {owners === 1 ? "1 owner" : `${owners} owners`} stop working at once, everywhere, and cannot be restored:
        </p>
        <ul className="max-h-48 overflow-y-auto rounded-md bg-slate-50 px-3 py-2 text-sm ring-1 ring-slate-200 ring-inset">
          {keys.map((k) => (
            <li key={k.id} className="break-words">
              {k.name} <span className="text-slate-500">({ownerWords(k)})</span>
            </li>
          ))}
        </ul>
        <FormButtons onCancel={() => onClose(false)} pending={pending} submit="Revoke keys" pendingLabel="Revoking…" danger />
      </form>
    </Dialog>
  );
}
