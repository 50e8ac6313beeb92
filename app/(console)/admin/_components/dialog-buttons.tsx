"use client";

import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/field";
import type { ActionState } from "../action-state";
import { useDialogAction } from "./use-dialog-action";

/** A button in a page's top row that opens a dialog; the dialog's content gets a way to close it. */
export function DialogButton({
  label,
  icon,
  title,
  variant,
  children,
}: {
  label: string;
  icon: React.ReactNode;
  title?: string;
  variant?: "primary" | "secondary";
  children: (close: () => void) => React.ReactNode;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant={variant} onClick={() => setOpen(true)}>
        {icon}
        {label}
      </Button>
      <Dialog open={open} onOpenChange={setOpen} title={title ?? label}>
        {children(() => setOpen(false))}
      </Dialog>
    </>
  );
}

export function IconButton({ label, onClick, children, disabled }: { label: string; onClick: () => void; children: React.ReactNode; disabled?: boolean }) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      onClick={onClick}
      disabled={disabled}
      className="rounded-md p-1.5 text-slate-600 hover:bg-slate-100 hover:text-slate-900 disabled:cursor-not-allowed disabled:opacity-40"
    >
      {children}
    </button>
  );
}

type RowAction = { key: string; label: string; icon: React.ReactNode; title: string; description?: string; render: (close: () => void) => React.ReactNode };

/** A table row's icon buttons, each opening its own dialog. */
export function RowDialogs({ actions }: { actions: RowAction[] }) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <div className="flex gap-0.5">
      {actions.map((a) => (
        <IconButton key={a.key} label={a.label} onClick={() => setOpen(a.key)}>
          {a.icon}
        </IconButton>
      ))}
      {actions.map((a) => (
        <Dialog key={a.key} open={open === a.key} onOpenChange={(o) => setOpen(o ? a.key : null)} title={a.title} description={a.description}>
          {a.render(() => setOpen(null))}
        </Dialog>
      ))}
    </div>
  );
}

/** Cancel and the submit button at the foot of every dialog form; the submit says what is happening while pending. */
export function FormButtons({ onCancel, pending, submit, pendingLabel, danger, disabled }: { onCancel: () => void; pending: boolean; submit: string; pendingLabel: string; danger?: boolean; disabled?: boolean }) {
  return (
    <DialogActions>
      <Button variant="secondary" onClick={onCancel}>
        Cancel
      </Button>
      <Button type="submit" variant={danger ? "danger" : "primary"} disabled={pending || disabled}>
        {pending ? pendingLabel : submit}
      </Button>
    </DialogActions>
  );
}

/** A confirmation posted to a server action: hidden ids, an explanation, Cancel and a (red) submit. */
export function ConfirmForm({
  action,
  hidden,
  submit,
  pendingLabel,
  onDone,
  danger = true,
  children,
}: {
  action: (prev: ActionState, form: FormData) => Promise<ActionState>;
  hidden: Record<string, string>;
  submit: string;
  pendingLabel: string;
  onDone: () => void;
  danger?: boolean;
  children: React.ReactNode;
}) {
  const [state, formAction, pending] = useDialogAction(action, onDone);
  return (
    <form action={formAction} className="space-y-4">
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <FormError message={state.ok ? undefined : state.message} />
      {children}
      <FormButtons onCancel={onDone} pending={pending} submit={submit} pendingLabel={pendingLabel} danger={danger} />
    </form>
  );
}

/** A label above its control, tied by id (a wrapping label would fold a select's options into its name). */
export function Labelled({ label, children }: { label: string; children: (id: string) => React.ReactNode }) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-xs font-medium text-slate-600">
        {label}
      </label>
      {children(id)}
    </div>
  );
}
