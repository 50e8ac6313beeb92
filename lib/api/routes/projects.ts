import "server-only";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { NotFoundError } from "@/lib/errors";
import type { ApiEnv } from "../pipeline";
import { errorResponses, ProjectSchema, successHeaders, toProjectJson } from "../schemas";

const example = { id: "0b6f8a5e-8d0c-4f43-9a43-2f3f8a1c9d10", slug: "billing", name: "Billing", role: "Editor", permissions: ["*:read", "*:write"] };

const listRoute = createRoute({
  method: "get",
  path: "/projects",
  tags: ["Projects"],
  summary: "My projects, as this key sees them",
  description: "The projects the key's owner is a member of, narrowed by the key's restriction, with the role and permissions the key has in each.",
  responses: {
    200: {
      description: "The projects.",
      headers: successHeaders,
      content: { "application/json": { schema: z.object({ projects: z.array(ProjectSchema) }), example: { projects: [example] } } },
    },
    ...errorResponses(403),
  },
});

const getRoute = createRoute({
  method: "get",
  path: "/projects/{id}",
  tags: ["Projects"],
  summary: "One of my projects",
  description: "A project this key may act in, by id or slug. Any other project, existing or not, is 404.",
  request: {
    params: z.object({
      id: z.string().openapi({ param: { name: "id", in: "path" }, description: "The project's id or slug.", example: "billing" }),
    }),
  },
  responses: {
    200: {
      description: "The project.",
      headers: successHeaders,
      content: { "application/json": { schema: z.object({ project: ProjectSchema }), example: { project: example } } },
    },
    ...errorResponses(403, 404),
  },
});

export function registerProjects(app: OpenAPIHono<ApiEnv>) {
  app.openapi(listRoute, (c) => c.json({ projects: c.get("verified").projects.map(toProjectJson) }, 200));

  app.openapi(getRoute, (c) => {
    const { id } = c.req.valid("param");
    const project = c.get("verified").projects.find((p) => p.id === id || p.slug === id);
    if (!project) throw new NotFoundError("Project not found.");
    return c.json({ project: toProjectJson(project) }, 200);
  });
}
