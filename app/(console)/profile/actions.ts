"use server";

import { type ActionResult, commandAction } from "@/lib/auth/action";
import { createDefaultKey } from "@/lib/keys/personal";
import type { NewKeyState } from "../settings/api-keys/actions";
import { endOtherSessions } from "@/lib/users/sessions";

/** The profile's first-time "Generate API Key": no fields, so nothing to validate beyond who is asking. */
export async function generateDefaultKeyAction(): Promise<NewKeyState> {
  return commandAction(
    "user",
    "generate default key",
    async (user) => {
      const { key, secret } = await createDefaultKey(user);
      return { secret, keyName: key.name };
    },
    "/profile",
  );
}

/** "Sign out of all other sessions": every session of the caller but this one ends. */
export async function signOutOtherSessionsAction(): Promise<ActionResult> {
  return commandAction("user", "sign out other sessions", async (user) => {
    const ended = await endOtherSessions(user);
    return { message: ended === 1 ? "Signed out of 1 other session." : `Signed out of ${ended} other sessions.` };
  });
}
