"use client";

import { TriangleAlert } from "lucide-react";
import { useEffect, useState } from "react";
import { SecretField } from "@/components/secret-field";
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
 * will not be shown again, and Done. Closing (or leaving the page) before
 * copying asks first.
 */
export function KeyRevealDialog({ secret, ...rest }: KeyRevealDialogProps) {
  // Keyed by the secret: a second reveal starts over (not copied, not confirming).
  return secret === null ? null : <Reveal key={secret} secret={secret} {...rest} />;
}

function Reveal({ secret, keyName, title = "Your new API key", onClose }: KeyRevealDialogProps & { secret: string }) {
  const [copied, setCopied] = useState(false);
  const [confirming, setConfirming] = useState(false);

  // A reload, a closed tab or a typed address would lose the key for good: the browser asks first.
  useEffect(() => {
    if (copied) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [copied]);

  const attemptClose = () => (copied ? onClose() : setConfirming(true));

  return (
    <Dialog open onOpenChange={(open) => !open && attemptClose()} onAttemptClose={attemptClose} title={confirming ? "Close without copying?" : title} wide>
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
              Key <strong className="break-words">{keyName}</strong> is ready.
            </p>
          )}
          <SecretField label="API key" value={secret} onCopied={() => setCopied(true)} />
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
