"use server";

import { formAction, parsedBy, textValues } from "@/lib/auth/action";
import { updateKeyPolicy } from "@/lib/keys/key-policy";
import { keyPolicyInputSchema } from "@/lib/keys/schemas";

const FIELDS = ["maxLifetimeDays", "defaultExpiryDays", "maxGrace", "maxAccountKeyLifetimeDays"];
/** An empty box is "no limit"; anything else must be a number of days. */
const days = (v: string | undefined) => (v === undefined || v.trim() === "" ? null : Number(v));

export const updateKeyPolicyAction = formAction({
  who: "admin",
  name: "update key policy",
  values: (form) => ({ ...textValues(form, FIELDS), allowNoExpiry: form.get("allowNoExpiry") ? "on" : "" }),
  parse: (form) => {
    const v = textValues(form, FIELDS);
    return parsedBy(
      keyPolicyInputSchema.safeParse({
        maxLifetimeDays: days(v.maxLifetimeDays),
        allowNoExpiry: form.get("allowNoExpiry") === "on",
        defaultExpiryDays: days(v.defaultExpiryDays) ?? undefined,
        maxGrace: v.maxGrace,
        maxAccountKeyLifetimeDays: days(v.maxAccountKeyLifetimeDays),
      }),
    );
  },
  run: async (admin, input) => {
    await updateKeyPolicy(admin, input);
    return { message: "Key policy saved. Existing keys keep their expiry." };
  },
  revalidate: "/admin/key-policy",
});
