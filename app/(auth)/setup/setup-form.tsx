"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useRef } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { createFirstAdminAction, type SetupState } from "./actions";

export function SetupForm() {
  const router = useRouter();
  const submitted = useRef<FormData>(null);
  const [state, action, pending] = useActionState<SetupState, FormData>(createFirstAdminAction, {});

  useEffect(() => {
    const form = submitted.current;
    if (!state.ok || !form) return;
    // The account exists: sign straight in with what was just typed.
    void signIn("credentials", { email: form.get("email"), password: form.get("password"), redirect: false }).then(() => {
      router.replace("/");
      router.refresh();
    });
  }, [state.ok, router]);

  return (
    <form action={action} onSubmit={(e) => (submitted.current = new FormData(e.currentTarget))} className="space-y-4" noValidate>
      <Field label="Name" name="name" autoComplete="name" required defaultValue={state.values?.name} errors={state.fieldErrors?.name} />
      <Field label="Email" name="email" type="email" autoComplete="username" required defaultValue={state.values?.email} errors={state.fieldErrors?.email} />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 12 characters."
        errors={state.fieldErrors?.password}
      />
      <Button type="submit" className="w-full" disabled={pending || state.ok}>
        {pending || state.ok ? "Creating…" : "Create Global Admin"}
      </Button>
    </form>
  );
}
