"use client";

import { Tooltip as T } from "radix-ui";
import { useRef, useState } from "react";

/**
 * A short label shown beside its trigger on hover and on keyboard focus.
 * Radix closes a tooltip when the page scrolls, and focusing a button below
 * the fold scrolls it into view: while its trigger has focus the tooltip stays
 * open, until focus leaves or Escape dismisses it. Rendered in place (fixed
 * position), not in a portal, so that it stays inside the page's landmarks.
 */
export function Tooltip({ content, children }: { content: React.ReactNode; children: React.ReactElement }) {
  const [open, setOpen] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  const dismissed = useRef(false);
  const onOpenChange = (next: boolean) => {
    if (next) {
      dismissed.current = false;
      setOpen(true);
      return;
    }
    if (!dismissed.current && trigger.current && document.activeElement === trigger.current && trigger.current.matches(":focus-visible")) return;
    setOpen(false);
  };
  return (
    <T.Provider delayDuration={300} skipDelayDuration={200}>
      <T.Root open={open} onOpenChange={onOpenChange}>
        <T.Trigger asChild ref={trigger}>
          {children}
        </T.Trigger>
        <T.Content
          sideOffset={4}
          collisionPadding={8}
          onEscapeKeyDown={() => (dismissed.current = true)}
          className="z-50 max-w-64 rounded-md bg-slate-900 px-2 py-1 text-xs text-white shadow-lg"
        >
          {content}
          <T.Arrow className="fill-slate-900" />
        </T.Content>
      </T.Root>
    </T.Provider>
  );
}
