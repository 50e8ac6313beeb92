"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { RelativeTime } from "@/components/ui/relative-time";
import { FormError } from "@/components/ui/field";
import { toast } from "@/components/ui/toaster";
import { maskKey } from "@/lib/keys/format";
import { regenerateAccountKeyAction, revealAccountKeyAction, type RevealState } from "../actions";
import { SecretField } from "@/components/secret-field";
import type { UserRowView } from "./users-table";

/**
 * The account's details and "Show API Key". The key is fetched only when
 * asked for (each time writing key.revealed) and forgotten when the dialog closes.
 */
export function ViewKeyDialog({ account, open, onOpenChange }: { account: UserRowView; open: boolean; onOpenChange: (open: boolean) => void }) {
  const router = useRouter();
  const [secret, setSecret] = useState<string>();
  const [error, setError] = useState<string>();
  const [confirming, setConfirming] = useState(false);
  const [pending, startTransition] = useTransition();

  const close = () => {
    setSecret(undefined);
    setError(undefined);
    setConfirming(false);
    onOpenChange(false);
  };
  const run = (call: () => Promise<RevealState>, after?: () => void) =>
    startTransition(async () => {
      const result = await call();
      if (result.ok) {
        setSecret(result.secret);
        setError(undefined);
        after?.();
      } else {
        setError(result.message);
      }
    });

  return (
    <Dialog open={open} onOpenChange={(o) => (o ? onOpenChange(true) : close())} title={`API key for ${account.username}`} wide>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
        <dt className="text-slate-600">Account</dt>
        <dd className="font-medium">{account.username}</dd>
        <dt className="text-slate-600">Status</dt>
        <dd>{account.status === "active" ? "Active" : "Disabled: the key is refused"}</dd>
        <dt className="text-slate-600">Projects and roles</dt>
        <dd>{account.memberships.length ? account.memberships.map((m) => `${m.projectName}: ${m.roleName}`).join(", ") : "None"}</dd>
        <dt className="text-slate-600">Key</dt>
        <dd className="font-mono">{account.key ? maskKey(account.key.start, account.key.lastFour) : "No key"}</dd>
        <dt className="text-slate-600">Key created</dt>
        <dd>
          <RelativeTime value={account.key?.createdAt} />
        </dd>
      </dl>
      <div className="mt-5 space-y-4">
        <FormError message={error} />
        {secret ? (
          <SecretField key={secret} label="API Key" value={secret} copiedMessage="API key copied" />
        ) : (
          <Button onClick={() => run(() => revealAccountKeyAction(account.id))} disabled={pending || !account.key}>
            {pending && !confirming ? "Showing…" : "Show API Key"}
          </Button>
        )}
        {confirming ? (
          <div role="group" aria-label="Confirm regeneration" className="rounded-md bg-amber-50 p-4 text-sm ring-1 ring-amber-200">
            <p className="font-medium">Regenerate the API key for {account.username}?</p>
            <p className="mt-1 text-slate-700">The current key stops working at once, everywhere it is used. Give the new key to whatever uses this account.</p>
            <div className="mt-3 flex gap-2">
              <Button variant="danger" size="sm" disabled={pending} onClick={() => run(() => regenerateAccountKeyAction(account.id), () => {
                setConfirming(false);
                toast("New API key generated. The old key no longer works.");
                router.refresh();
              })}>
                {pending ? "Regenerating…" : "Regenerate"}
              </Button>
              <Button variant="secondary" size="sm" onClick={() => setConfirming(false)}>
                Cancel
              </Button>
            </div>
          </div>
        ) : (
          <Button variant="ghost" size="sm" onClick={() => setConfirming(true)}>
            Regenerate API Key
          </Button>
        )}
      </div>
      <DialogActions>
        <Button variant="secondary" onClick={close}>
          Close
        </Button>
      </DialogActions>
    </Dialog>
  );
}
