"use server";

import { z } from "zod";
import { commandAction, formAction, parsedBy, textValues, withRecordId } from "@/lib/auth/action";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { regenerateAccountKey, revealAccountKey } from "@/lib/keys/accounts";
import { updateKey } from "@/lib/keys/personal";
import { adminRevokeAllKeysOf } from "@/lib/keys/admin";
import { createApiAccount, createPerson, deleteUser, resetPassword, setUserStatus, signOutEverywhere, updateUser } from "@/lib/users/admin";
import { createApiAccountSchema, createPersonSchema, updateUserSchema } from "@/lib/users/schemas";
import { type ActionState, membershipsFrom } from "../action-state";
import { parseEditKeyForm, parseExpiration } from "@/lib/keys/key-form";
import { GRACE_PERIODS } from "@/lib/keys/lifecycle";
import { gracePeriodSchema } from "@/lib/keys/schemas";

const PATH = "/admin/users";
const checked = (form: FormData, name: string) => form.get(name) === "on";

export const createApiAccountAction = formAction({
  who: "admin",
  name: "create API account",
  values: (form) => textValues(form, ["username"]),
  parse: (form) => {
    const expiry = parseExpiration(String(form.get("expiration") ?? "never"), String(form.get("customDays") ?? ""));
    if ("fieldErrors" in expiry) return { ok: false, fieldErrors: expiry.fieldErrors as Record<string, string[]> };
    return parsedBy(createApiAccountSchema.safeParse({ username: String(form.get("username") ?? ""), memberships: membershipsFrom(form), expiresInDays: expiry.expiresInDays }));
  },
  run: async (admin, input) => ({ message: `API account ${(await createApiAccount(admin, input)).username} created.` }),
  revalidate: PATH,
});

export type CreateUserState = ActionState<{ created: { name: string; email: string; initialPassword: string } }>;

export const createUserAction = formAction({
  who: "admin",
  name: "create user",
  values: (form) => ({ ...textValues(form, ["name", "email"]), isOrgAdmin: checked(form, "isOrgAdmin") ? "on" : "", apiAccess: checked(form, "apiAccess") ? "on" : "" }),
  parse: (form) =>
    parsedBy(
      createPersonSchema.safeParse({
        name: String(form.get("name") ?? ""),
        email: String(form.get("email") ?? "").trim(),
        isOrgAdmin: checked(form, "isOrgAdmin"),
        apiAccess: checked(form, "apiAccess"),
        memberships: membershipsFrom(form),
      }),
    ),
  run: async (admin, input) => {
    const user = await createPerson(admin, input);
    // The one time this password exists outside the person's head: returned to the admin who made it, never stored.
    return { created: { name: input.name, email: input.email.toLowerCase(), initialPassword: user.initialPassword } };
  },
  revalidate: PATH,
});

export const updateUserAction = formAction({
  who: "admin",
  name: "update user",
  values: (form) => textValues(form, ["name"]),
  parse: (form) =>
    withRecordId(form, "userId", "Unknown user. Reload the page.", () =>
      parsedBy(
        updateUserSchema.safeParse({
          ...(form.get("kind") === "human" ? { name: String(form.get("name") ?? ""), isOrgAdmin: checked(form, "isOrgAdmin"), apiAccess: checked(form, "apiAccess") } : {}),
          memberships: membershipsFrom(form),
        }),
      ),
    ),
  run: async (admin, { id, ...input }) => {
    await updateUser(admin, id, input);
    return { message: "Changes saved." };
  },
  revalidate: PATH,
});

const statusSchema = z.enum(["active", "disabled"]);

export const setUserStatusAction = formAction({
  who: "admin",
  name: "set user status",
  parse: (form) => {
    const status = statusSchema.safeParse(form.get("status"));
    return withRecordId(form, "userId", "Unknown user. Reload the page.", () => (status.success ? { ok: true, input: { status: status.data } } : { ok: false, message: "Unknown status. Reload the page." }));
  },
  run: async (admin, { id, status }) => {
    await setUserStatus(admin, id, status);
    return { message: status === "disabled" ? "Disabled: sessions ended and keys stopped." : "Enabled: keys work again." };
  },
  revalidate: PATH,
});

export const deleteUserAction = formAction({
  who: "admin",
  name: "delete user",
  values: (form) => textValues(form, ["confirm"]),
  parse: (form) => withRecordId(form, "userId", "Unknown user. Reload the page.", () => ({ ok: true, input: { confirm: String(form.get("confirm") ?? "") } })),
  run: async (admin, { id, confirm }) => {
    await deleteUser(admin, id, confirm);
    return { message: "Deleted. Their keys no longer work; the audit log keeps their history." };
  },
  revalidate: PATH,
});

export type RevealState = ActionState<{ secret: string }>;
const accountId = (id: string) => {
  if (!z.uuid().safeParse(id).success) throw new NotFoundError("Unknown account. Reload the page.");
  return id;
};

/** "Show API Key": decrypts the account's key for this admin and writes key.revealed. */
export async function revealAccountKeyAction(id: string): Promise<RevealState> {
  return commandAction("admin", "reveal API account key", async (admin) => ({ secret: await revealAccountKey(admin, accountId(id)) }));
}

export type RegenerateState = ActionState<{ secret: string; oldKeyStopsAt: string | null }>;

/** "Regenerate API Key": the old key stops at once or when the chosen grace ends; the new one is shown. */
export async function regenerateAccountKeyAction(id: string, choice?: { grace: string; expiration: string; customDays: string }): Promise<RegenerateState> {
  return commandAction(
    "admin",
    "regenerate API account key",
    async (admin) => {
      const grace = gracePeriodSchema.safeParse(choice?.grace ?? "immediately");
      if (!grace.success) throw new ValidationError({ grace: ["Choose when the old key stops working."] });
      // Without a choice, the new key lives as long as the old one.
      const expiry = choice ? parseExpiration(String(choice.expiration), String(choice.customDays ?? "")) : { expiresInDays: undefined };
      if ("fieldErrors" in expiry) throw new ValidationError(expiry.fieldErrors as Record<string, string[]>);
      const result = await regenerateAccountKey(admin, accountId(id), { graceSeconds: GRACE_PERIODS[grace.data], expiresInDays: expiry.expiresInDays as number | null | undefined });
      return { secret: result.secret, oldKeyStopsAt: result.oldKeyStopsAt?.toISOString() ?? null };
    },
    PATH,
  );
}

/** "Edit access key" for an API account's key: its name, a new expiry and its projects (within the account's own); the key itself stays. */
export const editAccountKeyAction = formAction({
  who: "admin",
  name: "edit API account key",
  parse: (form) =>
    withRecordId(form, "keyId", "Key not found.", () => {
      const parsed = parseEditKeyForm(form);
      return parsed.ok ? { ok: true, input: parsed.input } : { ok: false, fieldErrors: parsed.fieldErrors as Record<string, string[]> };
    }),
  run: async (admin, { id, ...input }) => ({ message: `Key “${(await updateKey(admin, id, input)).name}” saved.` }),
  revalidate: PATH,
});

export const signOutEverywhereAction = formAction({
  who: "admin",
  name: "sign out everywhere",
  parse: (form) => withRecordId(form, "userId", "Unknown user. Reload the page."),
  run: async (admin, { id }) => {
    const { sessionsEnded } = await signOutEverywhere(admin, id);
    return { message: sessionsEnded === 1 ? "Signed out of 1 session." : `Signed out of ${sessionsEnded} sessions.` };
  },
});

export type ResetPasswordState = ActionState<{ temporaryPassword: string }>;

/** "Reset password": the temporary password is returned to this admin once and never stored in the clear. */
export const resetPasswordAction = formAction({
  who: "admin",
  name: "reset password",
  parse: (form) => withRecordId(form, "userId", "Unknown user. Reload the page."),
  run: async (admin, { id }) => resetPassword(admin, id),
  revalidate: PATH,
});

/** "Revoke all keys": every key of the person or API account stops at once (the step when someone leaves). */
export const revokeAllKeysAction = formAction({
  who: "admin",
  name: "revoke all keys of a user",
  parse: (form) => withRecordId(form, "userId", "Unknown user. Reload the page."),
  run: async (admin, { id }) => {
    const { revoked, alsoRevoked, owner } = await adminRevokeAllKeysOf(admin, id);
    const n = revoked + alsoRevoked;
    return { message: n ? `${n === 1 ? "1 key" : `${n} keys`} of ${owner} revoked.` : `${owner} had no keys to revoke.` };
  },
  revalidate: PATH,
});
