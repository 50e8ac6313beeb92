"use client";

import { Check, Copy } from "lucide-react";
import { useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";

type SecretFieldProps = {
  label: string;
  value: string;
  /** Said (and announced) once the secret is on the clipboard. */
  copiedMessage?: string;
  /** The whole secret was copied, by the button or by the keyboard or context menu in the field. */
  onCopied?: () => void;
};

/**
 * A secret in a read-only field with Copy: a new key, an API account's key,
 * an initial password. Copying by hand (Ctrl+C, the context menu) counts too.
 */
export function SecretField({ label, value, copiedMessage = "Copied to the clipboard.", onCopied }: SecretFieldProps) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<"no" | "yes" | "failed">("no");

  const succeeded = () => {
    setCopied("yes");
    onCopied?.();
  };

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      succeeded();
    } catch {
      // navigator.clipboard exists only on https or localhost; a console on plain http over the LAN falls back.
      input.current?.focus();
      input.current?.select();
      if (document.execCommand("copy")) succeeded();
      else setCopied("failed");
    }
  }

  // Only a copy of all of it counts: part of a key is no key.
  const copiedByHand = (e: React.ClipboardEvent<HTMLInputElement>) => {
    const { selectionStart, selectionEnd } = e.currentTarget;
    if (selectionStart === 0 && selectionEnd === value.length) succeeded();
  };

  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <div className="mt-1 flex gap-2">
        <input
          ref={input}
          id={id}
          readOnly
          value={value}
          onFocus={(e) => e.currentTarget.select()}
          onCopy={copiedByHand}
          onCut={copiedByHand}
          spellCheck={false}
          autoComplete="off"
          className="block w-full min-w-0 rounded-md border-0 bg-slate-50 px-3 py-2 font-mono text-sm ring-1 ring-inset ring-slate-300"
        />
        <Button variant="secondary" onClick={() => void copy()} className="shrink-0">
          {copied === "yes" ? <Check aria-hidden className="h-4 w-4 text-green-600" /> : <Copy aria-hidden className="h-4 w-4" />}
          {copied === "yes" ? "Copied" : "Copy"}
        </Button>
      </div>
      <p role="status" className="mt-1 min-h-5 text-sm">
        {copied === "yes" && <span className="text-green-700">{copiedMessage}</span>}
        {copied === "failed" && <span className="text-red-700">Copying failed: select the text and copy it yourself.</span>}
      </p>
    </div>
  );
}
