import "server-only";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { adminRevokeAllKeysOf, adminRevokeKey, adminRevokeKeys } from "@/lib/keys/admin";
import { exportKeyInventory, type InventoryRow, listKeyInventory } from "@/lib/keys/inventory";
import { bulkKeyIdsSchema, EXPIRY_FILTERS, INVENTORY_SORTS, inventoryQuerySchema, inventorySearchSchema, MAX_BULK_KEYS, USAGE_FILTERS } from "@/lib/keys/inventory-query";
import { KEY_STATUSES } from "@/lib/keys/lifecycle";
import { ADMIN_TAG, adminErrorResponses, existingId, IdParam, pagedFields, pageParam, pageSizeParam } from "../admin";
import type { ApiEnv } from "../pipeline";
import { iso, isoDate, nullableIsoDate, successHeaders } from "../schemas";

/**
 * Global Administration > API Keys over REST: the organization's keys (never
 * a secret or a hash), revoking any of them, several at once, or all of a
 * user's, and the CSV export. The lib/ functions ask the policy again.
 */

const KEY_ID = "6f1c2d3e-4b5a-4978-8a1b-2c3d4e5f6a7b";
const USER_ID = "2b3c4d5e-6f70-4812-9a3b-4c5d6e7f8091";

const InventoryKeySchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(["pat", "sa"]).openapi({ description: "`pat`: a person's key; `sa`: an API account's key." }),
    name: z.string(),
    masked: z.string().openapi({ description: "The key's start and last four: as much of it as is ever shown.", example: "lk_pat_AbCd…wxyz" }),
    owner: z.object({
      id: z.uuid(),
      name: z.string(),
      username: z.string(),
      kind: z.enum(["human", "api_account"]),
      status: z.enum(["active", "disabled"]),
    }),
    projects: z.array(z.object({ id: z.uuid(), name: z.string() })).openapi({ description: "The projects the key works in now: its owner's, narrowed by its restriction." }),
    restricted: z.boolean().openapi({ description: "Limited to some of its owner's projects." }),
    createdAt: isoDate("2026-03-01T09:30:00.000Z"),
    lastUsedAt: nullableIsoDate("2026-03-02T14:05:12.000Z"),
    expiresAt: nullableIsoDate("2026-05-30T09:30:00.000Z").openapi({ description: "When it stops working by itself (a rotation's cut-off while it is being replaced); null: never." }),
    revokedAt: nullableIsoDate(null),
    revokedByAdmin: z.boolean().openapi({ description: "Revoked by a Global Admin rather than its owner." }),
    status: z.enum(KEY_STATUSES),
    requests: z.object({ accepted: z.number().int(), refused: z.number().int() }).openapi({ description: "Requests in the last 30 days (UTC days, today included)." }),
  })
  .openapi("InventoryKey");

type InventoryKeyJson = z.infer<typeof InventoryKeySchema>;

const example: InventoryKeyJson = {
  id: KEY_ID,
  kind: "pat",
  name: "Laptop",
  masked: "lk_pat_AbCd…wxyz",
  owner: { id: USER_ID, name: "Grace Hopper", username: "grace", kind: "human", status: "active" },
  projects: [{ id: "0b6f8a5e-8d0c-4f43-9a43-2f3f8a1c9d10", name: "Billing" }],
  restricted: false,
  createdAt: "2026-03-01T09:30:00.000Z",
  lastUsedAt: "2026-03-02T14:05:12.000Z",
  expiresAt: "2026-05-30T09:30:00.000Z",
  revokedAt: null,
  revokedByAdmin: false,
  status: "active",
  requests: { accepted: 1204, refused: 3 },
};

function toJson(r: InventoryRow): InventoryKeyJson {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    masked: r.masked,
    owner: r.owner,
    projects: r.projects,
    restricted: r.restricted,
    createdAt: r.createdAt.toISOString(),
    lastUsedAt: iso(r.lastUsedAt),
    expiresAt: iso(r.expiresAt),
    revokedAt: iso(r.revokedAt),
    revokedByAdmin: r.revokedByAdmin,
    status: r.status,
    requests: r.requests,
  };
}

const SORT_VALUES = INVENTORY_SORTS.flatMap((s) => [`${s}.asc`, `${s}.desc`]) as [string, ...string[]];
const oneOf = (values: readonly string[]) => `Use ${values.slice(0, -1).join(", ")} or ${values.at(-1)}.`;

const filterQuery = {
  q: inventorySearchSchema.optional().openapi({ param: { name: "q", in: "query" }, description: "Part of the owner's name, username or email, of the key's name (case-insensitive), or of its start (as shown)." }),
  type: z.enum(["human", "api_account"], { error: oneOf(["human", "api_account"]) }).optional().openapi({ param: { name: "type", in: "query" }, description: "Only people's keys (`human`) or only API accounts' keys." }),
  owner: z.enum(["active", "disabled"], { error: oneOf(["active", "disabled"]) }).optional().openapi({ param: { name: "owner", in: "query" }, description: "Only keys whose owner is active, or disabled." }),
  status: z.enum(KEY_STATUSES, { error: oneOf(KEY_STATUSES) }).optional().openapi({ param: { name: "status", in: "query" }, description: "Only keys in this state." }),
  project: z.uuid("Use a project id.").optional().openapi({ param: { name: "project", in: "query" }, description: "Only keys that reach this project (its id)." }),
  expiry: z.enum(EXPIRY_FILTERS, { error: oneOf(EXPIRY_FILTERS) }).optional().openapi({ param: { name: "expiry", in: "query" }, description: "`none`: keys that never expire; `7`, `30`: live keys that expire within that many days." }),
  usage: z.enum(USAGE_FILTERS, { error: oneOf(USAGE_FILTERS) }).optional().openapi({ param: { name: "usage", in: "query" }, description: "`never`: never used; `30`, `90`: no request for that many days." }),
  policy: z.enum(["exceeds"], { error: oneOf(["exceeds"]) }).optional().openapi({ param: { name: "policy", in: "query" }, description: "`exceeds`: working keys that live longer than the key policy now allows a new key of their kind (no expiry where one is required, or an expiry past the maximum lifetime from now). A changed policy never changes existing keys: this finds them." }),
  sort: z.enum(SORT_VALUES, { error: `Use one of ${SORT_VALUES.join(", ")}.` }).optional().openapi({ param: { name: "sort", in: "query" }, description: "Column and direction. Default `created.desc` (newest first)." }),
};

const listRoute = createRoute({
  method: "get",
  path: "/admin/keys",
  tags: [ADMIN_TAG],
  summary: "List the organization's keys",
  description: "Global Administration > API Keys: every key, personal and API-account, with search, filters, sorting and paging as on `/admin/api-keys`. Never a secret or a hash.",
  request: { query: z.object({ ...filterQuery, page: pageParam, pageSize: pageSizeParam(25) }) },
  responses: {
    200: {
      description: "One page of keys.",
      headers: successHeaders,
      content: { "application/json": { schema: z.object({ keys: z.array(InventoryKeySchema), ...pagedFields }), example: { keys: [example], total: 1, page: 1, pageSize: 25 } } },
    },
    ...adminErrorResponses({ 422: { code: "validation_failed", detail: "Use none, 7 or 30.", extra: { errors: { expiry: ["Use none, 7 or 30."] } } } }),
  },
});

const exportRoute = createRoute({
  method: "get",
  path: "/admin/keys/export",
  tags: [ADMIN_TAG],
  summary: "Export the organization's keys as CSV",
  description:
    "The credential report: every key matching the filters (all pages), one line each, with the same columns as the console's Export CSV. " +
    "No secret, no hash; cells that a spreadsheet would run as a formula start with an apostrophe. Audited as `keys.exported`.",
  request: { query: z.object(filterQuery) },
  responses: {
    200: { description: "The CSV file.", headers: successHeaders, content: { "text/csv": { schema: z.string(), example: '"Owner","Username","Owner type",…\r\n"Grace Hopper","grace","Person",…\r\n' } } },
    ...adminErrorResponses({}),
  },
});

const revocationSchema = z.object({
  revoked: z.number().int().openapi({ description: "Keys this request revoked." }),
  alreadyRevoked: z.number().int().openapi({ description: "Keys asked for that were already revoked (nothing changed for them)." }),
  alsoRevoked: z.number().int().openapi({ description: "Keys made with a revoked key (through the API), revoked with it." }),
});

/** The 200 answer of every revocation: what was revoked. */
const revocationAnswer = (example: z.infer<typeof revocationSchema>) => ({
  description: "What was revoked.",
  headers: successHeaders,
  content: { "application/json": { schema: revocationSchema, example } },
});

const revokeRoute = createRoute({
  method: "post",
  path: "/admin/keys/{id}/revoke",
  tags: [ADMIN_TAG],
  summary: "Revoke any key",
  description:
    "Revokes a person's or an API account's key at once, in every instance (and the keys made with it). Revoking a revoked key changes nothing. " +
    "The owner sees “Revoked by an administrator”; audited as `key.revoked_by_admin`, naming you, the key and its owner.",
  request: { params: IdParam("The key's id.", KEY_ID) },
  responses: {
    200: revocationAnswer({ revoked: 1, alreadyRevoked: 0, alsoRevoked: 0 }),
    ...adminErrorResponses({ 404: { code: "not_found", detail: "Key not found." } }),
  },
});

const bulkBody = z.object({ ids: bulkKeyIdsSchema.openapi({ description: `1 to ${MAX_BULK_KEYS} key ids.`, example: [KEY_ID] }) }).openapi("RevokeKeysRequest");

const bulkRoute = createRoute({
  method: "post",
  path: "/admin/keys/revoke",
  tags: [ADMIN_TAG],
  summary: "Revoke several keys together",
  description: "All or nothing: if any id does not exist, nothing is revoked (404). One `key.revoked_by_admin` audit event per key revoked.",
  request: { body: { required: true, content: { "application/json": { schema: bulkBody } } } },
  responses: {
    200: revocationAnswer({ revoked: 2, alreadyRevoked: 1, alsoRevoked: 0 }),
    ...adminErrorResponses({
      404: { code: "not_found", detail: "A selected key no longer exists. Reload the page." },
      422: { code: "validation_failed", detail: "Select at least one key.", extra: { errors: { ids: ["Select at least one key."] } } },
    }),
  },
});

const revokeAllRoute = createRoute({
  method: "post",
  path: "/admin/users/{id}/keys/revoke",
  tags: [ADMIN_TAG],
  summary: "Revoke every key of a user or API account",
  description:
    "The step when someone leaves: every key of the user that is not revoked yet stops at once, in every instance. Their console sessions are not touched " +
    "(use `/admin/users/{id}/sign-out` or `/disable`). One `key.revoked_by_admin` audit event per key.",
  request: { params: IdParam("The user's or API account's id.", USER_ID) },
  responses: {
    200: revocationAnswer({ revoked: 3, alreadyRevoked: 0, alsoRevoked: 0 }),
    ...adminErrorResponses({ 404: { code: "not_found", detail: "User not found." } }),
  },
});

const queryOf = ({ pageSize, ...filters }: Record<string, unknown>) => inventoryQuerySchema.parse({ ...filters, size: pageSize });

export function registerAdminKeys(app: OpenAPIHono<ApiEnv>) {
  app.openapi(listRoute, async (c) => {
    const list = await listKeyInventory(c.var.caller, queryOf(c.req.valid("query")));
    return c.json({ keys: list.rows.map(toJson), total: list.total, page: list.page, pageSize: list.pageSize }, 200);
  });

  app.openapi(exportRoute, async (c) => {
    const { csv } = await exportKeyInventory(c.var.caller, queryOf(c.req.valid("query")));
    return c.body(csv, 200, { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="latchkey-api-keys-${new Date().toISOString().slice(0, 10)}.csv"` });
  });

  app.openapi(bulkRoute, async (c) => {
    const { revoked, alreadyRevoked, alsoRevoked } = await adminRevokeKeys(c.var.caller, c.req.valid("json").ids);
    return c.json({ revoked, alreadyRevoked, alsoRevoked }, 200);
  });

  app.openapi(revokeRoute, async (c) => {
    const { revoked, alreadyRevoked, alsoRevoked } = await adminRevokeKey(c.var.caller, existingId(c.req.valid("param").id, "Key"));
    return c.json({ revoked, alreadyRevoked, alsoRevoked }, 200);
  });

  app.openapi(revokeAllRoute, async (c) => {
    const { revoked, alreadyRevoked, alsoRevoked } = await adminRevokeAllKeysOf(c.var.caller, existingId(c.req.valid("param").id, "User"));
    return c.json({ revoked, alreadyRevoked, alsoRevoked }, 200);
  });
}
