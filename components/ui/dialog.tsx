"use client";

import { X } from "lucide-react";
import { Dialog as D } from "radix-ui";
import { useLayoutEffect, useRef } from "react";
import { captureOpener, type Opener, restoreFocus } from "./focus-return";

type DialogProps = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  /** Said once, after the title; leave it out rather than repeat the title. */
  description?: React.ReactNode;
  children: React.ReactNode;
  /** Called instead of closing when the user presses Escape, clicks outside or the ×: lets a dialog ask first. */
  onAttemptClose?: () => void;
  wide?: boolean;
};

/** Radix Dialog with our look: title, optional description, a close button; focus goes back where it came from. */
export function Dialog({ open, onOpenChange, title, description, children, onAttemptClose, wide }: DialogProps) {
  const opener = useRef<Opener | null>(null);
  // Before Radix moves focus into the dialog (its effects run after layout effects).
  useLayoutEffect(() => {
    if (open) opener.current = captureOpener();
  }, [open]);

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
          onCloseAutoFocus={(event) => {
            event.preventDefault();
            restoreFocus(opener.current);
          }}
          className={`fixed top-1/2 left-1/2 z-50 max-h-[calc(100dvh-2rem)] w-[calc(100vw-2rem)] -translate-x-1/2 -translate-y-1/2 overflow-x-hidden overflow-y-auto rounded-lg bg-white p-4 shadow-xl sm:p-6 ${wide ? "max-w-2xl" : "max-w-md"}`}
        >
          <D.Title className="pr-8 text-lg font-semibold break-words">{title}</D.Title>
          {description && <D.Description className="mt-1 text-sm text-slate-600">{description}</D.Description>}
          <div className="mt-4">{children}</div>
          <button
            type="button"
            aria-label="Close"
            onClick={() => (onAttemptClose ? onAttemptClose() : onOpenChange(false))}
            className="absolute top-3 right-3 rounded p-1 text-slate-500 hover:bg-slate-100 sm:top-4 sm:right-4"
          >
            <X aria-hidden className="h-4 w-4" />
          </button>
        </D.Content>
      </D.Portal>
    </D.Root>
  );
}

export function DialogActions({ children }: { children: React.ReactNode }) {
  return <div className="mt-6 flex flex-wrap justify-end gap-2">{children}</div>;
}
