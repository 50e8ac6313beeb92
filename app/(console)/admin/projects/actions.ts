"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { actorFor, requireAdmin } from "@/lib/auth/guards";
import { createProject, deleteProject, renameProject } from "@/lib/projects";
import { projectInputSchema } from "@/lib/projects/schemas";
import { type ActionState, failed, succeeded } from "../action-state";

const PATH = "/admin/projects";

export async function createProjectAction(_: ActionState, form: FormData): Promise<ActionState> {
  const admin = await requireAdmin();
  const values = { name: String(form.get("name") ?? "") };
  const input = projectInputSchema.safeParse(values);
  if (!input.success) return { ok: false, at: Date.now(), fieldErrors: z.flattenError(input.error).fieldErrors, values };
  try {
    const project = await createProject(admin, input.data, await actorFor(admin));
    revalidatePath(PATH);
    return succeeded({ message: `Project ${project.name} created.` });
  } catch (error) {
    return failed(error, values);
  }
}

export async function renameProjectAction(_: ActionState, form: FormData): Promise<ActionState> {
  const admin = await requireAdmin();
  const id = z.uuid().safeParse(form.get("projectId"));
  const values = { name: String(form.get("name") ?? "") };
  if (!id.success) return { ok: false, at: Date.now(), message: "Unknown project. Reload the page.", values };
  const input = projectInputSchema.safeParse(values);
  if (!input.success) return { ok: false, at: Date.now(), fieldErrors: z.flattenError(input.error).fieldErrors, values };
  try {
    await renameProject(admin, id.data, input.data, await actorFor(admin));
    revalidatePath(PATH);
    return succeeded({ message: `Project renamed to ${input.data.name}.` });
  } catch (error) {
    return failed(error, values);
  }
}

export async function deleteProjectAction(_: ActionState, form: FormData): Promise<ActionState> {
  const admin = await requireAdmin();
  const id = z.uuid().safeParse(form.get("projectId"));
  if (!id.success) return { ok: false, at: Date.now(), message: "Unknown project. Reload the page." };
  try {
    const { removedMembers } = await deleteProject(admin, id.data, { removeMembers: form.get("removeMembers") === "on" }, await actorFor(admin));
    revalidatePath(PATH);
    return succeeded({ message: removedMembers ? `Project deleted; ${removedMembers} member${removedMembers === 1 ? "" : "s"} removed from it.` : "Project deleted." });
  } catch (error) {
    return failed(error);
  }
}
