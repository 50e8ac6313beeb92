"use server";

import { z } from "zod";
import { type ActionResult, formAction, withRecordId } from "@/lib/auth/action";
import { parseEditKeyForm, parseExpiration, parseGenerateKeyForm } from "@/lib/keys/key-form";
import { GRACE_PERIODS } from "@/lib/keys/lifecycle";
import { createPersonalKey, revokeKey, rotateKey, updateKey } from "@/lib/keys/personal";
import { gracePeriodSchema } from "@/lib/keys/schemas";

const PATH = "/settings/api-keys";

/** The new key, in this one answer only: the client shows it once and drops it. */
export type NewKeyState = ActionResult<{ secret: string; keyName: string }>;

export const generateKeyAction = formAction({
  who: "user",
  name: "generate key",
  parse: (form) => {
    const parsed = parseGenerateKeyForm(form);
    return parsed.ok ? { ok: true, input: parsed.input } : { ok: false, fieldErrors: parsed.fieldErrors as Record<string, string[]> };
  },
  run: async (user, input) => {
    const { key, secret } = await createPersonalKey(user, input);
    return { secret, keyName: key.name };
  },
  revalidate: PATH,
});

const grace = z.object({ grace: gracePeriodSchema });

export const rotateKeyAction = formAction({
  who: "user",
  name: "rotate key",
  // A malformed id is answered like someone else's: the key does not exist for this caller.
  parse: (form) =>
    withRecordId(form, "keyId", "Key not found.", () => {
      const input = grace.safeParse({ grace: form.get("grace") ?? "immediately" });
      if (!input.success) return { ok: false, message: "Choose when the old key stops working." };
      // Without an Expiration field (an older page), the new key lives as long as the old one.
      if (form.get("expiration") === null) return { ok: true, input: { ...input.data, expiresInDays: undefined } };
      const expiry = parseExpiration(String(form.get("expiration")), String(form.get("customDays") ?? ""));
      if ("fieldErrors" in expiry) return { ok: false, fieldErrors: expiry.fieldErrors as Record<string, string[]> };
      return { ok: true, input: { ...input.data, expiresInDays: expiry.expiresInDays as number | null | undefined } };
    }),
  run: async (user, { id, grace, expiresInDays }) => {
    const { key, secret } = await rotateKey(user, id, GRACE_PERIODS[grace], { expiresInDays });
    return { secret, keyName: key.name };
  },
  revalidate: PATH,
});

export const editKeyAction = formAction({
  who: "user",
  name: "edit key",
  parse: (form) =>
    withRecordId(form, "keyId", "Key not found.", () => {
      const parsed = parseEditKeyForm(form);
      return parsed.ok ? { ok: true, input: parsed.input } : { ok: false, fieldErrors: parsed.fieldErrors as Record<string, string[]> };
    }),
  run: async (user, { id, ...input }) => ({ message: `Key “${(await updateKey(user, id, input)).name}” saved.` }),
  revalidate: PATH,
});

export const revokeKeyAction = formAction({
  who: "user",
  name: "revoke key",
  parse: (form) => withRecordId(form, "keyId", "Key not found."),
  run: async (user, { id }) => ({ message: `Key “${(await revokeKey(user, id)).name}” revoked.` }),
  revalidate: PATH,
});
