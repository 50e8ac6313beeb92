"use server";

import { formAction, parsedBy } from "@/lib/auth/action";
import { changePassword, changePasswordSchema } from "@/lib/auth/password-change";

export const changePasswordAction = formAction({
  // The one action a person who must change their password may still use.
  who: "pending-password-change",
  name: "change password",
  parse: (form) =>
    parsedBy(
      changePasswordSchema.safeParse({
        currentPassword: form.get("currentPassword") ?? "",
        newPassword: form.get("newPassword") ?? "",
        confirmPassword: form.get("confirmPassword") ?? "",
      }),
    ),
  run: async (user, input) => {
    await changePassword(user, input);
    return {};
  },
});
