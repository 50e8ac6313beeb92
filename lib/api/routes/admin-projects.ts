import "server-only";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { createProject, deleteProject, getProject, listProjects, renameProject, type ProjectRow } from "@/lib/projects";
import { projectInputSchema } from "@/lib/projects/schemas";
import { ADMIN_TAG, adminErrorResponses, existingId, IdParam, type ProblemExample } from "../admin";
import type { ApiEnv } from "../pipeline";
import { isoDate, successHeaders } from "../schemas";

const PROJECT_ID = "0b6f8a5e-8d0c-4f43-9a43-2f3f8a1c9d10";

const AdminProjectSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    slug: z.string().openapi({ description: "Made once from the first name; renaming keeps it, so clients that name the project by slug keep working." }),
    createdAt: isoDate("2026-03-01T09:30:00.000Z"),
    memberCount: z.number().int().openapi({ description: "People and API accounts with a role in the project." }),
  })
  .openapi("AdminProject");

const example = { id: PROJECT_ID, name: "Billing", slug: "billing", createdAt: "2026-03-01T09:30:00.000Z", memberCount: 3 };

const toJson = (p: ProjectRow) => ({ id: p.id, name: p.name, slug: p.slug, createdAt: p.createdAt.toISOString(), memberCount: p.memberCount });

const body = projectInputSchema.openapi("ProjectRequest", { description: "A name, unique among projects (case-insensitive), at most 100 characters.", example: { name: "Billing" } });
const projectId = IdParam("The project's id.", PROJECT_ID);
const notFound: ProblemExample = { code: "not_found", detail: "Project not found." };
const nameTaken: ProblemExample = { code: "validation_failed", detail: "A project named “Billing” already exists.", extra: { errors: { name: ["A project named “Billing” already exists."] } } };

const listRoute = createRoute({
  method: "get",
  path: "/admin/projects",
  tags: [ADMIN_TAG],
  summary: "List all projects",
  description: "Every project with its number of members, by name.",
  responses: {
    200: {
      description: "The projects.",
      headers: successHeaders,
      content: { "application/json": { schema: z.object({ projects: z.array(AdminProjectSchema) }), example: { projects: [example] } } },
    },
    ...adminErrorResponses(),
  },
});

const createProjectRoute = createRoute({
  method: "post",
  path: "/admin/projects",
  tags: [ADMIN_TAG],
  summary: "Create a project",
  request: { body: { required: true, content: { "application/json": { schema: body } } } },
  responses: {
    201: {
      description: "The new project.",
      headers: successHeaders,
      content: { "application/json": { schema: z.object({ project: AdminProjectSchema }), example: { project: { ...example, memberCount: 0 } } } },
    },
    ...adminErrorResponses({ 422: nameTaken }),
  },
});

const renameRoute = createRoute({
  method: "patch",
  path: "/admin/projects/{id}",
  tags: [ADMIN_TAG],
  summary: "Rename a project",
  description: "The slug stays as it was.",
  request: { params: projectId, body: { required: true, content: { "application/json": { schema: body } } } },
  responses: {
    200: {
      description: "The project as renamed.",
      headers: successHeaders,
      content: { "application/json": { schema: z.object({ project: AdminProjectSchema }), example: { project: { ...example, name: "Billing (EU)" } } } },
    },
    ...adminErrorResponses({ 404: notFound, 422: nameTaken }),
  },
});

const deleteRoute = createRoute({
  method: "delete",
  path: "/admin/projects/{id}",
  tags: [ADMIN_TAG],
  summary: "Delete a project",
  description:
    "Refused with 409 while the project has members, unless `removeMembers=true` confirms that they lose their role in it " +
    "(their keys lose the project at once).",
  request: {
    params: projectId,
    query: z.object({
      removeMembers: z
        .enum(["true", "false"], { error: "Use true or false." })
        .optional()
        .openapi({ param: { name: "removeMembers", in: "query" }, description: "`true` confirms removing the project's members. Default false." }),
    }),
  },
  responses: {
    200: {
      description: "Deleted; how many members lost their role in it.",
      headers: successHeaders,
      content: { "application/json": { schema: z.object({ removedMembers: z.number().int() }), example: { removedMembers: 3 } } },
    },
    ...adminErrorResponses({
      404: notFound,
      409: { code: "conflict", detail: "Billing still has 3 members. Remove them first, or confirm that deleting the project removes their roles in it." },
    }),
  },
});

export function registerAdminProjects(app: OpenAPIHono<ApiEnv>) {
  app.openapi(listRoute, async (c) => c.json({ projects: (await listProjects(c.var.caller)).map(toJson) }, 200));

  app.openapi(createProjectRoute, async (c) => {
    const caller = c.var.caller;
    const created = await createProject(caller, c.req.valid("json"));
    return c.json({ project: toJson(await getProject(caller, created.id)) }, 201);
  });

  app.openapi(renameRoute, async (c) => {
    const caller = c.var.caller;
    const id = existingId(c.req.valid("param").id, "Project");
    await renameProject(caller, id, c.req.valid("json"));
    return c.json({ project: toJson(await getProject(caller, id)) }, 200);
  });

  app.openapi(deleteRoute, async (c) => {
    const id = existingId(c.req.valid("param").id, "Project");
    const { removedMembers } = await deleteProject(c.var.caller, id, { removeMembers: c.req.valid("query").removeMembers === "true" });
    return c.json({ removedMembers }, 200);
  });
}
