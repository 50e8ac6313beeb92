"use server";

import { notFound } from "next/navigation";
import { z } from "zod";
import { requestMeta } from "@/lib/auth/guards";
import { createFirstAdmin, isSetupPending, SetupClosedError } from "@/lib/users";
import { firstAdminSchema } from "@/lib/users/schemas";
import { newPasswordSchema } from "@/lib/validation";

const setupSchema = firstAdminSchema.extend({ password: newPasswordSchema });

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
