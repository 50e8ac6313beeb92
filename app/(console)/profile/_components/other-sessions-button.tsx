"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { toast } from "@/components/ui/toaster";
import type { ActionResult } from "@/lib/auth/action";

export function OtherSessionsButton({ action }: { action: () => Promise<ActionResult> }) {
  const [state, formAction, pending] = useActionState<ActionResult>(async () => {
    const next = await action();
    if (next.ok && next.message) toast(next.message);
    return next;
  }, {});
  return (
    <form action={formAction} className="space-y-3">
      <FormError message={state.ok ? undefined : state.message} />
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? "Signing out…" : "Sign out of all other sessions"}
      </Button>
    </form>
  );
}
