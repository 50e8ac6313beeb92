"use client";

import { useActionState } from "react";
import { toast } from "@/components/ui/toaster";

type State = { ok?: boolean; message?: string };

/**
 * useActionState for a form in a dialog: on success the dialog learns of it
 * (usually to close) and the action's message is shown as a toast.
 */
export function useDialogAction<S extends State>(action: (prev: S, form: FormData) => Promise<S>, onSuccess: (state: S) => void, initial = {} as S) {
  return useActionState<S, FormData>(async (prev, form) => {
    const next = (await action(prev as S, form)) as S;
    if (next.ok) {
      if (next.message) toast(next.message);
      onSuccess(next);
    }
    return next;
  }, initial as Awaited<S>);
}
