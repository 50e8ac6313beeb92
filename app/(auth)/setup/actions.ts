"use server";

import { notFound } from "next/navigation";
import { z } from "zod";
import { requestMeta } from "@/lib/auth/guards";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password";
import { createFirstAdmin, isSetupPending, SetupClosedError } from "@/lib/users";

const setupSchema = z.object({
  name: z.string().trim().min(1, "Enter your name.").max(100, "Use at most 100 characters."),
  email: z.email("Enter a valid email address.").max(320),
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`)
    .max(256, "Use at most 256 characters."),
});

export type SetupState = { ok?: boolean; values?: { name: string; email: string }; fieldErrors?: Partial<Record<"name" | "email" | "password", string[]>> };

export async function createFirstAdminAction(_: SetupState, form: FormData): Promise<SetupState> {
  // Once an admin exists this action does not exist either, whoever posts to it.
  if (!(await isSetupPending())) notFound();
  const input = setupSchema.safeParse(Object.fromEntries(form));
  if (!input.success) {
    const values = { name: String(form.get("name") ?? ""), email: String(form.get("email") ?? "") };
    return { values, fieldErrors: z.flattenError(input.error).fieldErrors };
  }
  try {
    await createFirstAdmin(input.data, await requestMeta());
  } catch (error) {
    if (error instanceof SetupClosedError) notFound();
    throw error;
  }
  return { ok: true };
}
