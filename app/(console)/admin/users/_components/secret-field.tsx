"use client";

import { Copy } from "lucide-react";
import { useId } from "react";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toaster";

/** A secret shown once in a read-only field, with Copy. */
export function SecretField({ label, value, copiedMessage }: { label: string; value: string; copiedMessage: string }) {
  const id = useId();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      toast(copiedMessage);
    } catch {
      toast("Copying was blocked by the browser: select the text and copy it.");
    }
  };
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <div className="mt-1 flex gap-2">
        <input
          id={id}
          readOnly
          value={value}
          onFocus={(e) => e.currentTarget.select()}
          spellCheck={false}
          autoComplete="off"
          className="block w-full rounded-md border-0 bg-slate-50 px-3 py-2 font-mono text-sm ring-1 ring-slate-300 ring-inset"
        />
        <Button variant="secondary" onClick={copy}>
          <Copy aria-hidden className="h-4 w-4" />
          Copy
        </Button>
      </div>
    </div>
  );
}
