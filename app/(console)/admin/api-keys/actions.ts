"use server";

import { z } from "zod";
import { formAction, withRecordId } from "@/lib/auth/action";
import { adminRevokeKey, adminRevokeKeys } from "@/lib/keys/admin";
import { bulkKeyIdsSchema } from "@/lib/keys/inventory-query";

const PATH = "/admin/api-keys";
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

/** "Revoke" on one row of Global Administration > API Keys. */
export const adminRevokeKeyAction = formAction({
  who: "admin",
  name: "revoke key as admin",
  parse: (form) => withRecordId(form, "keyId", "Unknown key. Reload the page."),
  run: async (admin, { id }) => {
    const r = await adminRevokeKey(admin, id);
    return { message: r.revoked ? `Key “${r.name}” of ${r.owner} revoked.` : `Key “${r.name}” was already revoked.` };
  },
  revalidate: PATH,
});

/** "Revoke selected": every checked row at once, all or nothing. */
export const adminRevokeKeysAction = formAction({
  who: "admin",
  name: "revoke keys as admin",
  parse: (form) => {
    const ids = bulkKeyIdsSchema.safeParse(form.getAll("keyId").map(String));
    return ids.success ? { ok: true, input: ids.data } : { ok: false, message: z.flattenError(ids.error).formErrors[0] ?? "Unknown key. Reload the page." };
  },
  run: async (admin, ids) => {
    const r = await adminRevokeKeys(admin, ids);
    const also = r.alsoRevoked ? ` ${plural(r.alsoRevoked, "key")} made with them also stopped.` : "";
    const already = r.alreadyRevoked ? ` ${plural(r.alreadyRevoked, "key")} had already been revoked.` : "";
    return { message: `${plural(r.revoked, "key")} revoked.${already}${also}` };
  },
  revalidate: PATH,
});
