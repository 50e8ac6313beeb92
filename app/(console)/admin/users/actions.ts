"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { actorFor, requireAdmin } from "@/lib/auth/guards";
import { regenerateAccountKey, revealAccountKey } from "@/lib/keys/service";
import { createApiAccount, createPerson, deleteUser, setUserStatus, updateUser } from "@/lib/users/admin";
import { createApiAccountSchema, createPersonSchema, updateUserSchema } from "@/lib/users/schemas";
import { type ActionState, failed, membershipsFrom, succeeded } from "../action-state";

const PATH = "/admin/users";
const userIdSchema = z.uuid();

/** Nested zod paths (memberships.0.roleId) reported on the field that shows them. */
function flatErrors(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    const list = (out[key] ??= []);
    if (!list.includes(issue.message)) list.push(issue.message);
  }
  return out;
}

export async function createApiAccountAction(_: ActionState, form: FormData): Promise<ActionState> {
  const admin = await requireAdmin();
  const values = { username: String(form.get("username") ?? "") };
  const input = createApiAccountSchema.safeParse({ username: values.username, memberships: membershipsFrom(form) });
  if (!input.success) return { ok: false, at: Date.now(), fieldErrors: flatErrors(input.error), values };
  try {
    const account = await createApiAccount(admin, input.data, await actorFor(admin));
    revalidatePath(PATH);
    return succeeded({ message: `API account ${account.username} created.` });
  } catch (error) {
    return failed(error, values);
  }
}

export type CreateUserState = ActionState & { created?: { name: string; email: string; initialPassword: string } };

export async function createUserAction(_: CreateUserState, form: FormData): Promise<CreateUserState> {
  const admin = await requireAdmin();
  const values = {
    name: String(form.get("name") ?? ""),
    email: String(form.get("email") ?? ""),
    isOrgAdmin: form.get("isOrgAdmin") === "on" ? "on" : "",
    apiAccess: form.get("apiAccess") === "on" ? "on" : "",
  };
  const input = createPersonSchema.safeParse({
    name: values.name,
    email: values.email.trim(),
    isOrgAdmin: values.isOrgAdmin === "on",
    apiAccess: values.apiAccess === "on",
    memberships: membershipsFrom(form),
  });
  if (!input.success) return { ok: false, at: Date.now(), fieldErrors: flatErrors(input.error), values };
  try {
    const user = await createPerson(admin, input.data, await actorFor(admin));
    revalidatePath(PATH);
    // The one time this password exists outside the person's head: returned to the admin who made it, never stored.
    return { ...succeeded(), created: { name: input.data.name, email: input.data.email.toLowerCase(), initialPassword: user.initialPassword } };
  } catch (error) {
    return failed(error, values);
  }
}

export async function updateUserAction(_: ActionState, form: FormData): Promise<ActionState> {
  const admin = await requireAdmin();
  const userId = userIdSchema.safeParse(form.get("userId"));
  if (!userId.success) return { ok: false, at: Date.now(), message: "Unknown user. Reload the page." };
  const human = form.get("kind") === "human";
  const values = { name: String(form.get("name") ?? "") };
  const input = updateUserSchema.safeParse({
    ...(human ? { name: values.name, isOrgAdmin: form.get("isOrgAdmin") === "on", apiAccess: form.get("apiAccess") === "on" } : {}),
    memberships: membershipsFrom(form),
  });
  if (!input.success) return { ok: false, at: Date.now(), fieldErrors: flatErrors(input.error), values };
  try {
    await updateUser(admin, userId.data, input.data, await actorFor(admin));
    revalidatePath(PATH);
    return succeeded({ message: "Changes saved." });
  } catch (error) {
    return failed(error, values);
  }
}

export async function setUserStatusAction(_: ActionState, form: FormData): Promise<ActionState> {
  const admin = await requireAdmin();
  const userId = userIdSchema.safeParse(form.get("userId"));
  const status = z.enum(["active", "disabled"]).safeParse(form.get("status"));
  if (!userId.success || !status.success) return { ok: false, at: Date.now(), message: "Unknown user or status. Reload the page." };
  try {
    await setUserStatus(admin, userId.data, status.data, await actorFor(admin));
    revalidatePath(PATH);
    return succeeded({ message: status.data === "disabled" ? "Disabled: sessions ended and keys stopped." : "Enabled: keys work again." });
  } catch (error) {
    return failed(error);
  }
}

export async function deleteUserAction(_: ActionState, form: FormData): Promise<ActionState> {
  const admin = await requireAdmin();
  const userId = userIdSchema.safeParse(form.get("userId"));
  if (!userId.success) return { ok: false, at: Date.now(), message: "Unknown user. Reload the page." };
  const values = { confirm: String(form.get("confirm") ?? "") };
  try {
    await deleteUser(admin, userId.data, values.confirm, await actorFor(admin));
    revalidatePath(PATH);
    return succeeded({ message: "Deleted. Their keys no longer work; the audit log keeps their history." });
  } catch (error) {
    return failed(error, values);
  }
}

export type RevealState = { ok: true; secret: string } | { ok: false; message: string };

/** "Show API Key": decrypts the account's key for this admin and writes key.revealed. */
export async function revealAccountKeyAction(accountId: string): Promise<RevealState> {
  const admin = await requireAdmin();
  const id = userIdSchema.safeParse(accountId);
  if (!id.success) return { ok: false, message: "Unknown account. Reload the page." };
  try {
    return { ok: true, secret: await revealAccountKey(admin, id.data, await actorFor(admin)) };
  } catch (error) {
    return { ok: false, message: failed(error).message ?? "This key cannot be shown." };
  }
}

/** "Regenerate API Key": the old key stops at once; the new one is shown. */
export async function regenerateAccountKeyAction(accountId: string): Promise<RevealState> {
  const admin = await requireAdmin();
  const id = userIdSchema.safeParse(accountId);
  if (!id.success) return { ok: false, message: "Unknown account. Reload the page." };
  try {
    const secret = await regenerateAccountKey(admin, id.data, await actorFor(admin));
    revalidatePath(PATH);
    return { ok: true, secret };
  } catch (error) {
    return { ok: false, message: failed(error).message ?? "The key could not be regenerated." };
  }
}
