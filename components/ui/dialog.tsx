"use client";

import { X } from "lucide-react";
import { Dialog as D } from "radix-ui";

type DialogProps = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: React.ReactNode;
  children: React.ReactNode;
  /** Called instead of closing when the user presses Escape, clicks outside or the ×: lets a dialog ask first. */
  onAttemptClose?: () => void;
  wide?: boolean;
};

/** Radix Dialog with our look: title, optional description, a close button. */
export function Dialog({ open, onOpenChange, title, description, children, onAttemptClose, wide }: DialogProps) {
  const intercept = (event: Event) => {
    if (!onAttemptClose) return;
    event.preventDefault();
    onAttemptClose();
  };
  return (
    <D.Root open={open} onOpenChange={onOpenChange}>
      <D.Portal>
        <D.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
        <D.Content
          onEscapeKeyDown={intercept}
          onPointerDownOutside={intercept}
          onInteractOutside={intercept}
          className={`fixed top-1/2 left-1/2 z-50 max-h-[90vh] w-[calc(100%-2rem)] -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-lg bg-white p-6 shadow-xl ${wide ? "max-w-2xl" : "max-w-md"}`}
        >
          <D.Title className="pr-8 text-lg font-semibold">{title}</D.Title>
          {description ? (
            <D.Description className="mt-1 text-sm text-slate-600">{description}</D.Description>
          ) : (
            <D.Description className="sr-only">{title}</D.Description>
          )}
          <div className="mt-4">{children}</div>
          <button
            type="button"
            aria-label="Close"
            onClick={() => (onAttemptClose ? onAttemptClose() : onOpenChange(false))}
            className="absolute top-4 right-4 rounded p-1 text-slate-500 hover:bg-slate-100"
          >
            <X aria-hidden className="h-4 w-4" />
          </button>
        </D.Content>
      </D.Portal>
    </D.Root>
  );
}

export function DialogActions({ children }: { children: React.ReactNode }) {
  return <div className="mt-6 flex justify-end gap-2">{children}</div>;
}
