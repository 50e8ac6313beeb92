"use client";

import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { IconButton } from "@/components/ui/icon-button";
import { FormError } from "@/components/ui/field";
import type { ActionResult as ActionState } from "@/lib/auth/action";
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

/** One action of a table row: an icon button with a tooltip, opening a dialog. */
export type RowAction = {
  /** Stable across re-renders (the button keeps its place and id when its label changes, e.g. Disable → Enable). */
  key: string;
  label: string;
  icon: React.ReactNode;
  /** Why it cannot be used on this row; the button stays focusable and says so in its tooltip. */
  unavailable?: string;
  /** The dialog, mounted only while open (what it showed is gone once it closes). */
  dialog: (close: () => void) => React.ReactNode;
};

/**
 * A table row's actions, from a list: adding one is adding an entry. Each
 * button has the id `<key>-<rowId>`, so that focus finds it again after the
 * row re-renders.
 */
export function RowActions({ rowId, actions }: { rowId: string; actions: (RowAction | false | null | undefined)[] }) {
  const [open, setOpen] = useState<string | null>(null);
  const list = actions.filter((a): a is RowAction => !!a);
  const current = list.find((a) => a.key === open);
  return (
    <div className="flex items-center gap-0.5 max-md:flex-wrap">
      {list.map((a) => (
        <IconButton key={a.key} id={`${a.key}-${rowId}`} label={a.label} unavailable={a.unavailable} onClick={() => setOpen(a.key)}>
          {a.icon}
        </IconButton>
      ))}
      {current?.dialog(() => setOpen(null))}
    </div>
  );
}

/** A row action's dialog whose content is one form: our Dialog around it. */
export function rowDialog({
  title,
  description,
  wide,
  render,
}: {
  title: string;
  description?: string;
  wide?: boolean;
  render: (close: () => void) => React.ReactNode;
}): RowAction["dialog"] {
  return function RowDialog(close) {
    return (
      <Dialog open onOpenChange={(o) => !o && close()} title={title} description={description} wide={wide}>
        {render(close)}
      </Dialog>
    );
  };
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
