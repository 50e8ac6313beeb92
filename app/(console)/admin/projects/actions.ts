"use server";

import { formAction, parsedBy, textValues, withRecordId } from "@/lib/auth/action";
import { createProject, deleteProject, renameProject } from "@/lib/projects";
import { projectInputSchema } from "@/lib/projects/schemas";

const PATH = "/admin/projects";
const name = (form: FormData) => textValues(form, ["name"]);

export const createProjectAction = formAction({
  who: "admin",
  name: "create project",
  values: name,
  parse: (form) => parsedBy(projectInputSchema.safeParse(name(form))),
  run: async (admin, input) => ({ message: `Project ${(await createProject(admin, input)).name} created.` }),
  revalidate: PATH,
});

export const renameProjectAction = formAction({
  who: "admin",
  name: "rename project",
  values: name,
  parse: (form) => withRecordId(form, "projectId", "Unknown project. Reload the page.", () => parsedBy(projectInputSchema.safeParse(name(form)))),
  run: async (admin, { id, ...input }) => {
    await renameProject(admin, id, input);
    return { message: `Project renamed to ${input.name}.` };
  },
  revalidate: PATH,
});

export const deleteProjectAction = formAction({
  who: "admin",
  name: "delete project",
  parse: (form) => withRecordId(form, "projectId", "Unknown project. Reload the page.", () => ({ ok: true, input: { removeMembers: form.get("removeMembers") === "on" } })),
  run: async (admin, { id, removeMembers }) => {
    const removed = (await deleteProject(admin, id, { removeMembers })).removedMembers;
    return { message: removed ? `Project deleted; ${removed} member${removed === 1 ? "" : "s"} removed from it.` : "Project deleted." };
  },
  revalidate: PATH,
});
