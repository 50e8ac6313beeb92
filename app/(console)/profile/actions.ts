"use server";

import { revalidatePath } from "next/cache";
import { actorFor, requireUser } from "@/lib/auth/guards";
import { describeError } from "@/lib/errors";
import { createDefaultKey } from "@/lib/keys/service";

export type DefaultKeyState = { ok?: boolean; secret?: string; keyName?: string; error?: string };

/** The profile's first-time "Generate API Key": no fields, so nothing to validate beyond who is asking. */
export async function generateDefaultKeyAction(): Promise<DefaultKeyState> {
  const user = await requireUser();
  try {
    const { key, secret } = await createDefaultKey(user, await actorFor(user));
    revalidatePath("/profile");
    return { ok: true, secret, keyName: key.name };
  } catch (error) {
    return { error: describeError(error, "generate default key").message };
  }
}
