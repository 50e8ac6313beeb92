"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { actorFor, requireAdmin } from "@/lib/auth/guards";
import { createRole, deleteRole, updateRole } from "@/lib/roles";
import { roleInputSchema } from "@/lib/roles/schemas";
import { type ActionState, failed, succeeded } from "../action-state";

const PATH = "/admin/roles";
type RoleValues = { name: string; description: string; permissions: string };

function parse(form: FormData) {
  const values: RoleValues = {
    name: String(form.get("name") ?? ""),
    description: String(form.get("description") ?? ""),
    permissions: String(form.get("permissions") ?? ""),
  };
  const input = roleInputSchema.safeParse({ ...values, permissions: values.permissions.split(/[\n,]+/) });
  return { values, input };
}

export async function createRoleAction(_: ActionState<RoleValues>, form: FormData): Promise<ActionState<RoleValues>> {
  const admin = await requireAdmin();
  const { values, input } = parse(form);
  if (!input.success) return { ok: false, at: Date.now(), fieldErrors: z.flattenError(input.error).fieldErrors, values };
  try {
    const role = await createRole(admin, input.data, await actorFor(admin));
    revalidatePath(PATH);
    return succeeded({ message: `Role ${role.name} created.` });
  } catch (error) {
    return failed(error, values);
  }
}

export async function updateRoleAction(_: ActionState<RoleValues>, form: FormData): Promise<ActionState<RoleValues>> {
  const admin = await requireAdmin();
  const id = z.uuid().safeParse(form.get("roleId"));
  const { values, input } = parse(form);
  if (!id.success) return { ok: false, at: Date.now(), message: "Unknown role. Reload the page.", values };
  if (!input.success) return { ok: false, at: Date.now(), fieldErrors: z.flattenError(input.error).fieldErrors, values };
  try {
    await updateRole(admin, id.data, input.data, await actorFor(admin));
    revalidatePath(PATH);
    return succeeded({ message: `Role ${input.data.name} saved. Keys holding it use the new permissions now.` });
  } catch (error) {
    return failed(error, values);
  }
}

export async function deleteRoleAction(_: ActionState, form: FormData): Promise<ActionState> {
  const admin = await requireAdmin();
  const id = z.uuid().safeParse(form.get("roleId"));
  if (!id.success) return { ok: false, at: Date.now(), message: "Unknown role. Reload the page." };
  try {
    await deleteRole(admin, id.data, await actorFor(admin));
    revalidatePath(PATH);
    return succeeded({ message: "Role deleted." });
  } catch (error) {
    return failed(error);
  }
}
