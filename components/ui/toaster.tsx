"use client";

import { useEffect, useState } from "react";

type Toast = { id: number; message: string };

const EVENT = "latchkey:toast";

/** Shows a short confirmation in the corner; dialogs call it after a successful action. */
export function toast(message: string) {
  window.dispatchEvent(new CustomEvent(EVENT, { detail: message }));
}

export function Toaster() {
  const [toasts, setToasts] = useState<Toast[]>([]);
  useEffect(() => {
    let next = 0;
    const onToast = (event: Event) => {
      const id = ++next;
      setToasts((t) => [...t, { id, message: (event as CustomEvent<string>).detail }]);
      setTimeout(() => setToasts((t) => t.filter((x) => x.id !== id)), 4000);
    };
    window.addEventListener(EVENT, onToast);
    return () => window.removeEventListener(EVENT, onToast);
  }, []);
  return (
    <div aria-live="polite" className="pointer-events-none fixed right-4 bottom-4 z-50 flex flex-col gap-2">
      {toasts.map((t) => (
        <div key={t.id} role="status" className="rounded-md bg-slate-900 px-4 py-2 text-sm text-white shadow-lg">
          {t.message}
        </div>
      ))}
    </div>
  );
}
