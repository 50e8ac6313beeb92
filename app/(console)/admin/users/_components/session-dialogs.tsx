"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/field";
import { ConfirmForm, FormButtons } from "@/components/dialog-kit";
import { SecretField } from "@/components/secret-field";
import { useDialogAction } from "@/components/use-dialog-action";
import { resetPasswordAction, type ResetPasswordState, revokeAllKeysAction, signOutEverywhereAction } from "../actions";
import type { UserRowView } from "./users-table";

type Props = { user: UserRowView; open: boolean; onOpenChange: (open: boolean) => void };

export function SignOutEverywhereDialog({ user, open, onOpenChange }: Props) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={`Sign out ${user.username} everywhere?`}>
      <ConfirmForm action={signOutEverywhereAction} hidden={{ userId: user.id }} submit="Sign out everywhere" pendingLabel="Signing out…" onDone={() => onOpenChange(false)}>
        <p className="text-sm text-slate-700">
          Every console session of {user.name} ends at once, in every browser. They can sign in again with their password; their API keys keep working.
        </p>
      </ConfirmForm>
    </Dialog>
  );
}

export function RevokeAllKeysDialog({ user, open, onOpenChange }: Props) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={`Revoke all keys of ${user.username}?`}>
      <ConfirmForm action={revokeAllKeysAction} hidden={{ userId: user.id }} submit="Revoke all keys" pendingLabel="Revoking…" onDone={() => onOpenChange(false)}>
        <p className="text-sm text-slate-700">
          Every API key of {user.kind === "human" ? user.name : `API account ${user.username}`} stops working at once, everywhere, and cannot be restored.
          {user.kind === "human" ? " Their console sessions are not ended: use Sign out everywhere or Disable for that." : " Regenerate a key for the account when it needs one again."}
        </p>
      </ConfirmForm>
    </Dialog>
  );
}

/** Asks first, then shows the temporary password once, with Copy. */
export function ResetPasswordDialog({ user, open, onOpenChange }: Props) {
  const [temporaryPassword, setTemporaryPassword] = useState<string>();
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={temporaryPassword ? "Temporary password set" : `Reset the password of ${user.username}?`}>
      {temporaryPassword ? (
        <div className="space-y-4">
          <p className="text-sm">
            Give {user.name} this temporary password. It is shown only now; they must choose their own when they next sign in.
          </p>
          <SecretField label="Temporary password" value={temporaryPassword} copiedMessage="Temporary password copied" />
          <DialogActions>
            <Button onClick={() => onOpenChange(false)}>Done</Button>
          </DialogActions>
        </div>
      ) : (
        <ResetForm user={user} onReset={setTemporaryPassword} onCancel={() => onOpenChange(false)} />
      )}
    </Dialog>
  );
}

function ResetForm({ user, onReset, onCancel }: { user: UserRowView; onReset: (password: string) => void; onCancel: () => void }) {
  const [state, action, pending] = useDialogAction<ResetPasswordState>(resetPasswordAction, (s) => onReset(s.temporaryPassword!));
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="userId" value={user.id} />
      <FormError message={state.ok ? undefined : state.message} />
      <p className="text-sm text-slate-700">
        {user.name} gets a new temporary password and is signed out everywhere. Their current password stops working at once.
      </p>
      <FormButtons onCancel={onCancel} pending={pending} submit="Reset password" pendingLabel="Resetting…" danger />
    </form>
  );
}
