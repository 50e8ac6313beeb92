"use client";

import { useState } from "react";
import { Dialog } from "@/components/ui/dialog";
import { Field, FormError } from "@/components/ui/field";
import { ConfirmForm, FormButtons } from "@/components/dialog-kit";
import { useDialogAction } from "@/components/use-dialog-action";
import { deleteUserAction, setUserStatusAction } from "../actions";
import type { UserRowView } from "./users-table";

type Props = { user: UserRowView; open: boolean; onOpenChange: (open: boolean) => void };

/** Disable asks first (sessions end and keys stop); Enable asks too, since keys start working again. */
export function StatusDialog({ user, open, onOpenChange }: Props) {
  const disabling = user.status === "active";
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={`${disabling ? "Disable" : "Enable"} ${user.username}?`}>
      <StatusForm user={user} disabling={disabling} onDone={() => onOpenChange(false)} />
    </Dialog>
  );
}

function StatusForm({ user, disabling, onDone }: { user: UserRowView; disabling: boolean; onDone: () => void }) {
  return (
    <ConfirmForm
      action={setUserStatusAction}
      hidden={{ userId: user.id, status: disabling ? "disabled" : "active" }}
      submit={disabling ? "Disable" : "Enable"}
      pendingLabel="Saving…"
      danger={disabling}
      onDone={onDone}
    >
      <p className="text-sm text-slate-700">
        {disabling
          ? user.kind === "human"
            ? `${user.name} is signed out at once and cannot sign in; their API keys stop working at once.`
            : `The API key of ${user.username} stops working at once.`
          : `${user.username} can use ${user.kind === "human" ? "the console and their" : "its"} API keys again.`}
      </p>
    </ConfirmForm>
  );
}

export function DeleteUserDialog({ user, open, onOpenChange }: Props) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={`Delete ${user.username}?`}>
      <DeleteForm user={user} onDone={() => onOpenChange(false)} />
    </Dialog>
  );
}

function DeleteForm({ user, onDone }: { user: UserRowView; onDone: () => void }) {
  const [state, action, pending] = useDialogAction(deleteUserAction, onDone);
  const [typed, setTyped] = useState(state.values?.confirm ?? "");
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="userId" value={user.id} />
      <FormError message={state.ok ? undefined : state.message} />
      <p className="text-sm text-slate-700">
        This deletes {user.kind === "human" ? user.name : "the API account"}, {user.kind === "human" ? "their" : "its"} project roles and API keys. The keys stop working at once. The audit log keeps the history. This cannot be undone.
      </p>
      <Field
        label={`Type ${user.username} to confirm`}
        name="confirm"
        autoComplete="off"
        spellCheck={false}
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
        errors={state.fieldErrors?.confirm}
      />
      <FormButtons onCancel={onDone} pending={pending} submit="Delete" pendingLabel="Deleting…" danger disabled={typed.trim() !== user.username} />
    </form>
  );
}
