"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { actorFor, requireUser } from "@/lib/auth/guards";
import { describeError } from "@/lib/errors";
import { assertMayHoldKeys, createPersonalKey, revokeKey, rotateKey } from "@/lib/keys/service";
import { GRACE_PERIODS, gracePeriodSchema } from "@/lib/keys/schemas";
import { type GenerateKeyFields, parseGenerateKeyForm } from "@/lib/keys/key-form";

export type GenerateKeyState = {
  ok?: boolean;
  /** The new key, in this one response only: the client shows it once and drops it. */
  secret?: string;
  keyName?: string;
  error?: string;
  fieldErrors?: Partial<Record<GenerateKeyFields, string[]>>;
};

export async function generateKeyAction(_: GenerateKeyState, form: FormData): Promise<GenerateKeyState> {
  const user = await requireUser();
  const parsed = parseGenerateKeyForm(form);
  if (!parsed.ok) return { fieldErrors: parsed.fieldErrors };
  try {
    const { key, secret } = await createPersonalKey(user, parsed.input, await actorFor(user));
    revalidatePath("/settings/api-keys");
    return { ok: true, secret, keyName: key.name };
  } catch (error) {
    const { message, fieldErrors } = describeError(error, "generate key");
    return { error: fieldErrors ? undefined : message, fieldErrors };
  }
}

export type RotateKeyState = { ok?: boolean; secret?: string; keyName?: string; error?: string };

const rotateSchema = z.object({ keyId: z.uuid(), grace: gracePeriodSchema });

export async function rotateKeyAction(_: RotateKeyState, form: FormData): Promise<RotateKeyState> {
  const user = await requireUser();
  const input = rotateSchema.safeParse({ keyId: form.get("keyId"), grace: form.get("grace") ?? "immediately" });
  // A malformed id is answered like someone else's: the key does not exist for this caller.
  if (!input.success) return { error: input.error.issues.some((i) => i.path[0] === "grace") ? "Choose when the old key stops working." : "Key not found." };
  try {
    // Rotation makes a key, so it needs the same right as generating one.
    assertMayHoldKeys(user);
    const { key, secret } = await rotateKey(user.id, input.data.keyId, GRACE_PERIODS[input.data.grace], await actorFor(user));
    revalidatePath("/settings/api-keys");
    return { ok: true, secret, keyName: key.name };
  } catch (error) {
    return { error: describeError(error, "rotate key").message };
  }
}

export type RevokeKeyState = { ok?: boolean; error?: string };

const revokeSchema = z.object({ keyId: z.uuid() });

export async function revokeKeyAction(_: RevokeKeyState, form: FormData): Promise<RevokeKeyState> {
  const user = await requireUser();
  const input = revokeSchema.safeParse({ keyId: form.get("keyId") });
  if (!input.success) return { error: "Key not found." };
  try {
    await revokeKey(user.id, input.data.keyId, await actorFor(user));
    revalidatePath("/settings/api-keys");
    return { ok: true };
  } catch (error) {
    return { error: describeError(error, "revoke key").message };
  }
}
