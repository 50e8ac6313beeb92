"use server";

import { z } from "zod";
import { actorFor, requireUser } from "@/lib/auth/guards";
import { describeError } from "@/lib/errors";
import { changePassword, changePasswordSchema } from "@/lib/users/password";

export type ChangePasswordState = {
  ok?: boolean;
  error?: string;
  fieldErrors?: Partial<Record<"currentPassword" | "newPassword" | "confirmPassword", string[]>>;
};

export async function changePasswordAction(_: ChangePasswordState, form: FormData): Promise<ChangePasswordState> {
  // The one action a person who must change their password may still use.
  const user = await requireUser({ allowPendingPasswordChange: true });
  const input = changePasswordSchema.safeParse({
    currentPassword: form.get("currentPassword") ?? "",
    newPassword: form.get("newPassword") ?? "",
    confirmPassword: form.get("confirmPassword") ?? "",
  });
  if (!input.success) return { fieldErrors: z.flattenError(input.error).fieldErrors };
  try {
    await changePassword(user.id, input.data, await actorFor(user));
    return { ok: true };
  } catch (error) {
    const { message, fieldErrors } = describeError(error, "change password");
    return fieldErrors ? { fieldErrors } : { error: message };
  }
}
