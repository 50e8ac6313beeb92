"use client";

import { Check, Copy, TriangleAlert } from "lucide-react";
import { useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";

type KeyRevealDialogProps = {
  /** The full key; the dialog is open while it is set. The parent drops it in onClose. */
  secret: string | null;
  keyName?: string;
  title?: string;
  onClose: () => void;
};

/**
 * The one-time reveal of a new key: a read-only field, Copy, a warning that it
 * will not be shown again, and Done. Closing before copying asks first.
 */
export function KeyRevealDialog({ secret, ...rest }: KeyRevealDialogProps) {
  // Keyed by the secret: a second reveal starts over (not copied, not confirming).
  return secret === null ? null : <Reveal key={secret} secret={secret} {...rest} />;
}

function Reveal({ secret, keyName, title = "Your new API key", onClose }: KeyRevealDialogProps & { secret: string }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<"no" | "yes" | "failed">("no");
  const [confirming, setConfirming] = useState(false);

  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied("yes");
    } catch {
      // navigator.clipboard exists only on https or localhost; a console on plain http over the LAN falls back.
      input.current?.select();
      setCopied(document.execCommand("copy") ? "yes" : "failed");
    }
  }

  const attemptClose = () => (copied === "yes" ? onClose() : setConfirming(true));

  return (
    <Dialog
      open
      onOpenChange={(open) => !open && attemptClose()}
      onAttemptClose={attemptClose}
      title={confirming ? "Close without copying?" : title}
      wide
    >
      {confirming ? (
        <div>
          <p className="text-sm text-slate-700">
            You have not copied this key. Once this window closes the key cannot be shown again: you would have to rotate it or generate a new one.
          </p>
          <DialogActions>
            <Button variant="secondary" onClick={() => setConfirming(false)} autoFocus>
              Go back
            </Button>
            <Button variant="danger" onClick={onClose}>
              Close without copying
            </Button>
          </DialogActions>
        </div>
      ) : (
        <div>
          {keyName && (
            <p className="mb-3 text-sm text-slate-700">
              Key <strong>{keyName}</strong> is ready.
            </p>
          )}
          <label htmlFor={`${id}-key`} className="block text-sm font-medium text-slate-800">
            API key
          </label>
          <div className="mt-1 flex gap-2">
            <input
              ref={input}
              id={`${id}-key`}
              readOnly
              value={secret}
              onFocus={(e) => e.currentTarget.select()}
              spellCheck={false}
              autoComplete="off"
              className="block w-full rounded-md border-0 bg-slate-50 px-3 py-2 font-mono text-sm ring-1 ring-inset ring-slate-300"
            />
            <Button variant="secondary" onClick={() => void copy()} aria-label={copied === "yes" ? "Copied" : "Copy"}>
              {copied === "yes" ? <Check aria-hidden className="h-4 w-4 text-green-600" /> : <Copy aria-hidden className="h-4 w-4" />}
              <span aria-hidden>{copied === "yes" ? "Copied" : "Copy"}</span>
            </Button>
          </div>
          <p aria-live="polite" className="mt-1 min-h-5 text-sm">
            {copied === "yes" && <span className="text-green-700">Copied to the clipboard.</span>}
            {copied === "failed" && <span className="text-red-700">Copying failed: select the key and copy it yourself.</span>}
          </p>
          <p className="mt-2 flex gap-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-inset ring-amber-200">
            <TriangleAlert aria-hidden className="mt-0.5 h-4 w-4 shrink-0" />
            <span>Copy this key now and store it somewhere safe, such as a password manager or your CI&apos;s secret store. It will not be shown again.</span>
          </p>
          <DialogActions>
            <Button onClick={attemptClose}>Done</Button>
          </DialogActions>
        </div>
      )}
    </Dialog>
  );
}
