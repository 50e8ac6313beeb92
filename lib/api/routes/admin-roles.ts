import "server-only";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { createRole, deleteRole, getRole, listRoles, type RoleRow, updateRole } from "@/lib/roles";
import { PERMISSION_HELP, roleChangesSchema, roleInputSchema } from "@/lib/roles/schemas";
import { ADMIN_TAG, adminErrorResponses, existingId, IdParam, type ProblemExample } from "../admin";
import type { ApiEnv } from "../pipeline";
import { successHeaders } from "../schemas";

const ROLE_ID = "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d";

const RoleSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    permissions: z.array(z.string()).openapi({ description: `Permission strings. ${PERMISSION_HELP}` }),
    builtIn: z.boolean().openapi({ description: "Admin, Editor and Viewer: cannot be changed or deleted." }),
    memberCount: z.number().int().openapi({ description: "Project memberships that hold this role." }),
  })
  .openapi("Role");

const example = { id: ROLE_ID, name: "Auditor", description: "Reads invoices and reports.", permissions: ["invoices:read", "reports:read"], builtIn: false, memberCount: 2 };
const builtInExample = { id: "3f7d2a10-5b4c-4e8f-9a21-7c6d5e4f3a20", name: "Editor", description: "Reads and writes.", permissions: ["*:read", "*:write"], builtIn: true, memberCount: 5 };

const toJson = (r: RoleRow) => ({ id: r.id, name: r.name, description: r.description, permissions: r.permissions, builtIn: r.builtIn, memberCount: r.memberCount });

const roleId = IdParam("The role's id.", ROLE_ID);
const notFound: ProblemExample = { code: "not_found", detail: "Role not found." };
const builtIn: ProblemExample = { code: "forbidden", detail: "Editor is a built-in role: it cannot be changed or deleted. Create a custom role instead." };
const invalid: ProblemExample = {
  code: "validation_failed",
  detail: `“invoices.read” is not a valid permission. ${PERMISSION_HELP}`,
  extra: { errors: { permissions: [`“invoices.read” is not a valid permission. ${PERMISSION_HELP}`] } },
};

const createBody = roleInputSchema.openapi("CreateRoleRequest", {
  description: "`name` unique among roles (case-insensitive); `description` optional; `permissions` 1–100 valid permission strings.",
  example: { name: "Auditor", description: "Reads invoices and reports.", permissions: ["invoices:read", "reports:read"] },
});

const changesBody = roleChangesSchema.openapi("UpdateRoleRequest", {
  description: "Fields left out keep their value. Every key whose owner holds the role gets the new permissions at once.",
  example: { permissions: ["invoices:read", "reports:read", "reports:export"] },
});

const listRoute = createRoute({
  method: "get",
  path: "/admin/roles",
  tags: [ADMIN_TAG],
  summary: "List roles",
  description: "Built-in roles first (Admin, Editor, Viewer), then custom roles, with how many memberships hold each.",
  responses: {
    200: {
      description: "The roles.",
      headers: successHeaders,
      content: { "application/json": { schema: z.object({ roles: z.array(RoleSchema) }), example: { roles: [builtInExample, example] } } },
    },
    ...adminErrorResponses(),
  },
});

const createRoleRoute = createRoute({
  method: "post",
  path: "/admin/roles",
  tags: [ADMIN_TAG],
  summary: "Create a custom role",
  request: { body: { required: true, content: { "application/json": { schema: createBody } } } },
  responses: {
    201: {
      description: "The new role.",
      headers: successHeaders,
      content: { "application/json": { schema: z.object({ role: RoleSchema }), example: { role: { ...example, memberCount: 0 } } } },
    },
    ...adminErrorResponses({ 422: invalid }),
  },
});

const updateRoute = createRoute({
  method: "patch",
  path: "/admin/roles/{id}",
  tags: [ADMIN_TAG],
  summary: "Change a custom role",
  description: "Built-in roles are refused with 403.",
  request: { params: roleId, body: { required: true, content: { "application/json": { schema: changesBody } } } },
  responses: {
    200: { description: "The role as changed.", headers: successHeaders, content: { "application/json": { schema: z.object({ role: RoleSchema }), example: { role: example } } } },
    ...adminErrorResponses({ 403: builtIn, 404: notFound, 422: invalid }),
  },
});

const deleteRoute = createRoute({
  method: "delete",
  path: "/admin/roles/{id}",
  tags: [ADMIN_TAG],
  summary: "Delete a custom role",
  description: "Refused with 409 while a membership holds the role or a live key is limited to it; built-in roles are refused with 403.",
  request: { params: roleId },
  responses: {
    204: { description: "Deleted.", headers: successHeaders },
    ...adminErrorResponses({
      403: builtIn,
      404: notFound,
      409: { code: "conflict", detail: "Auditor is in use by 2 members of projects. Give them another role first." },
    }),
  },
});

export function registerAdminRoles(app: OpenAPIHono<ApiEnv>) {
  app.openapi(listRoute, async (c) => c.json({ roles: (await listRoles(c.var.caller)).map(toJson) }, 200));

  app.openapi(createRoleRoute, async (c) => {
    const caller = c.var.caller;
    const created = await createRole(caller, c.req.valid("json"));
    return c.json({ role: toJson(await getRole(caller, created.id)) }, 201);
  });

  app.openapi(updateRoute, async (c) => {
    const caller = c.var.caller;
    const id = existingId(c.req.valid("param").id, "Role");
    await updateRole(caller, id, c.req.valid("json"));
    return c.json({ role: toJson(await getRole(caller, id)) }, 200);
  });

  app.openapi(deleteRoute, async (c) => {
    const id = existingId(c.req.valid("param").id, "Role");
    await deleteRole(c.var.caller, id);
    return c.body(null, 204);
  });
}
