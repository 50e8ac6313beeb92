import "server-only";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { NotFoundError } from "@/lib/errors";
import { DEFAULT_EXPIRY_DAYS, GRACE_PERIODS, MAX_EXPIRY_DAYS, MIN_EXPIRY_DAYS } from "@/lib/keys/lifecycle";
import { createPersonalKey, listKeys, revokeKey, rotateKey, updateKey } from "@/lib/keys/personal";
import { createKeySchema, expiresInDaysSchema, gracePeriodSchema, updateKeySchema } from "@/lib/keys/schemas";
import type { ApiEnv } from "../pipeline";
import { errorResponses, IdParamSchema, isUuid, KeySchema, successHeaders, toKeyJson } from "../schemas";

const keyExample = {
  id: "5d3c1c8e-3f0a-4f8e-9b1a-6a9f7e2d4c11",
  name: "CI deploy",
  kind: "pat",
  start: "lk_pat_Ab3x",
  lastFour: "9QzT",
  createdAt: "2026-03-01T09:30:00.000Z",
  lastUsedAt: "2026-03-02T14:05:12.000Z",
  expiresAt: "2026-05-30T09:30:00.000Z",
  status: "active",
  restriction: null,
  revokedAt: null,
  revokedByAdmin: false,
  graceExpiresAt: null,
};
const secretExample = "lk_pat_Ab3xQ7mN2pL9sR4tV8wY1zC5dF6gH0jK3a9QzT";

const listRoute = createRoute({
  method: "get",
  path: "/keys",
  tags: ["Keys"],
  summary: "List my keys",
  description: "The key owner's own keys, newest first. Revoked keys (and keys past a rotation's grace period) only with `includeRevoked=true`. Never a secret.",
  request: {
    query: z.object({
      includeRevoked: z
        .enum(["true", "false"])
        .optional()
        .openapi({ param: { name: "includeRevoked", in: "query" }, description: "Also list revoked keys.", example: "false" }),
    }),
  },
  responses: {
    200: {
      description: "The keys.",
      headers: successHeaders,
      content: { "application/json": { schema: z.object({ keys: z.array(KeySchema) }), example: { keys: [keyExample] } } },
    },
    ...errorResponses(403, 422),
  },
});

const createBody = createKeySchema.openapi("CreateKeyRequest", {
  description: `\`expiresInDays\`: ${MIN_EXPIRY_DAYS}–${MAX_EXPIRY_DAYS}, within the organization's key policy (GET /admin/key-policy; a refusal is a 422 whose \`limit\` names the limit); left out, the policy's default (${DEFAULT_EXPIRY_DAYS} unless an admin changed it); \`null\` for a key that does not expire (a key made with an API key expires no later than that key). \`restriction\`: limit the key to some of your projects, each with a role no greater than your own there, given by id (\`roleId\`), by name (\`role\`), or neither for your own role there; \`null\` (default) for all of them.`,
  example: { name: "CI deploy", expiresInDays: 90, restriction: null },
});

const createKeyRoute = createRoute({
  method: "post",
  path: "/keys",
  tags: ["Keys"],
  summary: "Generate a key",
  description:
    "Generates a personal key for the caller. The secret is in this response and nowhere else, ever: store it now. " +
    "API accounts cannot create keys, nor can a key limited to some projects or a key being replaced. " +
    "A key made with a key belongs to it: revoking the key that made it revokes it too, and it expires no later than that key, whatever `expiresInDays` asks.",
  request: { body: { required: true, content: { "application/json": { schema: createBody } } } },
  responses: {
    201: {
      description: "The new key and its secret (shown once).",
      headers: successHeaders,
      content: {
        "application/json": {
          schema: z.object({ key: KeySchema, secret: z.string().openapi({ description: "The full key. Shown once." }) }),
          example: { key: keyExample, secret: secretExample },
        },
      },
    },
    ...errorResponses(403, 422),
  },
});

const rotateBody = z
  .object({
    grace: gracePeriodSchema.optional().openapi({
      description: "When the old key stops working (never later than its own expiry), within the key policy's longest grace period. Default `immediately`.",
      example: "1h",
    }),
    expiresInDays: expiresInDaysSchema.optional().openapi({
      description: "The new key's lifetime in days (`null`: no expiration), within the key policy. Default: the old key's lifetime.",
      example: 90,
    }),
  })
  .openapi("RotateKeyRequest", { example: { grace: "1h" } });

const rotateRoute = createRoute({
  method: "post",
  path: "/keys/{id}/rotate",
  tags: ["Keys"],
  summary: "Rotate a key",
  description:
    "Replaces one of my keys with a new key of the same name and restriction, living as long as the old one unless `expiresInDays` says otherwise. " +
    "The old key stops working at once, or at `oldKeyStopsAt` (the grace period's end, never later than the old key's own expiry); until then it is listed as `rotating` with that time as its `expiresAt`. " +
    "A grace period or lifetime past the key policy is a 422 whose `limit` names the limit. The new secret is in this response only.",
  request: { params: IdParamSchema, body: { required: false, content: { "application/json": { schema: rotateBody } } } },
  responses: {
    200: {
      description: "The new key, its secret (shown once), and when the old key stops working.",
      headers: successHeaders,
      content: {
        "application/json": {
          schema: z.object({ key: KeySchema, secret: z.string(), oldKeyStopsAt: z.string().openapi({ format: "date-time" }) }),
          example: { key: keyExample, secret: secretExample, oldKeyStopsAt: "2026-03-02T15:05:12.000Z" },
        },
      },
    },
    ...errorResponses(403, 404, 409, 422),
  },
});

const updateBody = updateKeySchema.openapi("UpdateKeyRequest", {
  description:
    "Fields left out keep their value. `name`: unique among the owner's keys. `expiresInDays`: days from now (or `null` for no expiration), within the organization's key policy (a refusal is a 422 whose `limit` names the limit). `restriction`: as when generating, within the owner's projects and roles (`null` for all the owner's projects); it replaces the old one.",
  example: { name: "CI deploy (prod)", expiresInDays: 30 },
});

const updateRoute = createRoute({
  method: "patch",
  path: "/keys/{id}",
  tags: ["Keys"],
  summary: "Edit a key",
  description:
    "Renames one of my keys, changes its expiry or its project restriction; a Global Admin may also edit an API account's key. The key itself (its secret) does not change. " +
    "A key limited to some projects, an API account and a key being replaced cannot edit keys. Audited with before and after.",
  request: { params: IdParamSchema, body: { required: true, content: { "application/json": { schema: updateBody } } } },
  responses: {
    200: { description: "The key as edited.", headers: successHeaders, content: { "application/json": { schema: z.object({ key: KeySchema }), example: { key: keyExample } } } },
    ...errorResponses(403, 404, 409, 422),
  },
});

const deleteRoute = createRoute({
  method: "delete",
  path: "/keys/{id}",
  tags: ["Keys"],
  summary: "Revoke a key",
  description: "Revokes one of my keys at once, in every instance. Revoking a revoked key changes nothing.",
  request: { params: IdParamSchema },
  responses: {
    204: { description: "Revoked.", headers: successHeaders },
    ...errorResponses(403, 404),
  },
});

export function registerKeys(app: OpenAPIHono<ApiEnv>) {
  app.openapi(listRoute, async (c) => {
    const { includeRevoked } = c.req.valid("query");
    const keys = await listKeys(c.var.caller, { includeRevoked: includeRevoked === "true" });
    return c.json({ keys: keys.map(toKeyJson) }, 200);
  });

  app.openapi(createKeyRoute, async (c) => {
    const created = await createPersonalKey(c.var.caller, c.req.valid("json"));
    return c.json({ key: toKeyJson(created.key), secret: created.secret }, 201);
  });

  app.openapi(rotateRoute, async (c) => {
    const body = c.req.valid("json");
    const created = await rotateKey(c.var.caller, existingKeyId(c.req.valid("param").id), GRACE_PERIODS[body.grace ?? "immediately"], { expiresInDays: body.expiresInDays });
    return c.json({ key: toKeyJson(created.key), secret: created.secret, oldKeyStopsAt: created.oldKeyStopsAt.toISOString() }, 200);
  });

  app.openapi(updateRoute, async (c) => {
    const key = await updateKey(c.var.caller, existingKeyId(c.req.valid("param").id), c.req.valid("json"));
    return c.json({ key: toKeyJson(key) }, 200);
  });

  app.openapi(deleteRoute, async (c) => {
    await revokeKey(c.var.caller, existingKeyId(c.req.valid("param").id));
    return c.body(null, 204);
  });
}

/** A malformed id is a key that does not exist. */
function existingKeyId(id: string): string {
  if (!isUuid(id)) throw new NotFoundError("Key not found.");
  return id;
}
