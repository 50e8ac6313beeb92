"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { startTransition, useActionState, useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormError } from "@/components/ui/field";
import { toast } from "@/components/ui/toaster";

type State = { ok?: boolean; message?: string; fieldErrors?: Partial<Record<string, string[]>> };

type Props = {
  action: (state: State, form: FormData) => Promise<State>;
  email: string;
  /** Where to go once the password is changed; without it the page refreshes in place. */
  next?: string;
};

/**
 * Current, new and confirmed password. A change ends every session, this one
 * included, so on success the form signs in again with the new password.
 */
export function ChangePasswordForm({ action, email, next }: Props) {
  const router = useRouter();
  const form = useRef<HTMLFormElement>(null);
  const submitted = useRef<FormData>(null);
  const [state, formAction, pending] = useActionState<State, FormData>(action, {});
  const [signingIn, setSigningIn] = useState(false);

  useEffect(() => {
    const data = submitted.current;
    if (!state.ok || !data) return;
    submitted.current = null;
    setSigningIn(true);
    void signIn("credentials", { email, password: data.get("newPassword"), redirect: false }).then((result) => {
      setSigningIn(false);
      if (!result || result.error) {
        router.replace("/login");
        return;
      }
      form.current?.reset();
      toast("Password changed. Your other sessions have been signed out.");
      if (next) router.replace(next);
      router.refresh();
    });
  }, [state, email, next, router]);

  return (
    <form
      ref={form}
      // Submitted by hand so that React does not clear the fields when the server turns the change down.
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        submitted.current = data;
        startTransition(() => formAction(data));
      }}
      className="max-w-sm space-y-4"
      noValidate
    >
      <FormError message={state.message} />
      {/* For password managers: which account this password belongs to. */}
      <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
      <Field label="Current password" name="currentPassword" type="password" autoComplete="current-password" required errors={state.fieldErrors?.currentPassword} />
      <Field
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 12 characters."
        errors={state.fieldErrors?.newPassword}
      />
      <Field label="Confirm new password" name="confirmPassword" type="password" autoComplete="new-password" required errors={state.fieldErrors?.confirmPassword} />
      <Button type="submit" disabled={pending || signingIn}>
        {pending || signingIn ? "Changing password…" : "Change password"}
      </Button>
    </form>
  );
}
