"use client";

import { KeyRound } from "lucide-react";
import Link from "next/link";
import { useActionState, useState } from "react";
import { KeyRevealDialog } from "@/components/key-reveal-dialog";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormError } from "@/components/ui/field";
import { RelativeTime } from "@/components/ui/relative-time";
import type { NewKeyState } from "../../settings/api-keys/actions";
import { generateDefaultKeyAction } from "../actions";

type Props = { hasAccess: boolean; active: number; nextToExpire: { name: string; expiresAt: string } | null; defaultExpiryDays: number | null };

export function ApiAccessCard({ hasAccess, active, nextToExpire, defaultExpiryDays }: Props) {
  // Held here, above both branches: the page re-renders with the new key counted while the reveal is still open.
  const [revealed, setRevealed] = useState<{ secret: string; name: string } | null>(null);
  const [state, action, pending] = useActionState<NewKeyState>(async () => {
    const result = await generateDefaultKeyAction();
    if (!result.ok || !result.secret) return result;
    setRevealed({ secret: result.secret, name: result.keyName ?? "Default" });
    return {};
  }, {});

  return (
    <Card title="API access">
      {!hasAccess ? (
        <div className="space-y-2 text-sm text-slate-700">
          <p>You do not have API access, so you cannot create API keys. A Global Admin must grant you API access first.</p>
          {/* Access can be taken away from someone who already holds keys: say plainly that they stopped working. */}
          {active > 0 && (
            <p>
              {active === 1
                ? "Your active API key is refused until then; it works again once access is granted."
                : `Your ${active} active API keys are refused until then; they work again once access is granted.`}
            </p>
          )}
        </div>
      ) : active === 0 ? (
        <form action={action} className="space-y-3">
          <p className="text-sm text-slate-700">
            You have no active API key. Generate one to call the Latchkey API from your scripts and tools; it is named “Default”, works in all your
            projects and {defaultExpiryDays === null ? "never expires" : `expires in ${defaultExpiryDays} days`}.
          </p>
          <FormError message={state.message} />
          <Button type="submit" disabled={pending}>
            <KeyRound aria-hidden className="h-4 w-4" />
            {pending ? "Generating…" : "Generate API Key"}
          </Button>
        </form>
      ) : (
        <div className="space-y-2 text-sm text-slate-700">
          <p>
            You have{" "}
            <strong>
              {active} active API key{active === 1 ? "" : "s"}
            </strong>
            .
          </p>
          <p>
            {nextToExpire ? (
              <>
                Next to expire: “{nextToExpire.name}”, <RelativeTime value={nextToExpire.expiresAt} />.
              </>
            ) : (
              "None of them expires."
            )}
          </p>
          <p>
            <Link href="/settings/api-keys" className="font-medium text-indigo-700 hover:underline">
              Manage your keys in Settings &gt; API Keys
            </Link>
          </p>
        </div>
      )}
      <KeyRevealDialog secret={revealed?.secret ?? null} keyName={revealed?.name} onClose={() => setRevealed(null)} />
    </Card>
  );
}
