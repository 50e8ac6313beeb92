import "server-only";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { createKeySchema, DEFAULT_EXPIRATION_DAYS, GRACE_PERIODS, gracePeriodSchema } from "@/lib/keys/schemas";
import { createPersonalKey, getOwnKey, listKeysForOwner, revokeKey, rotateKey } from "@/lib/keys/service";
import { getSessionUser } from "@/lib/users";
import { actorOf, type ApiCaller, type ApiEnv } from "../auth";
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
  description: `\`expiresInDays\`: 1–3650, default ${DEFAULT_EXPIRATION_DAYS}; \`null\` for a key that does not expire. \`restriction\`: limit the key to some of your projects, each with a role no greater than your own there; \`null\` (default) for all of them.`,
  example: { name: "CI deploy", expiresInDays: 90, restriction: null },
});

const createKeyRoute = createRoute({
  method: "post",
  path: "/keys",
  tags: ["Keys"],
  summary: "Generate a key",
  description:
    "Generates a personal key for the caller. The secret is in this response and nowhere else, ever: store it now. " +
    "API accounts cannot create personal keys, and a key limited to some projects cannot create keys.",
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
    grace: gracePeriodSchema.optional().openapi({ description: "When the old key stops working. Default `immediately`.", example: "1h" }),
  })
  .openapi("RotateKeyRequest", { example: { grace: "1h" } });

const rotateRoute = createRoute({
  method: "post",
  path: "/keys/{id}/rotate",
  tags: ["Keys"],
  summary: "Rotate a key",
  description:
    "Replaces one of my keys with a new key of the same name, restriction and expiration policy. The old key is permanently disabled, " +
    "at once or after the grace period. The new secret is in this response only.",
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

/** The owner as the database has them now, not as the (cached) verification saw them. */
async function currentOwner(caller: ApiCaller) {
  const owner = await getSessionUser(caller.verified.owner.id);
  if (!owner || owner.status !== "active") throw new ForbiddenError("The key's owner is disabled.");
  return owner;
}

/**
 * A key limited to some projects must not reach past its limit by managing
 * keys: it may rotate or revoke itself, nothing else. Someone else's key is
 * still answered as not found first.
 */
async function ownKeyFor(caller: ApiCaller, keyId: string) {
  if (!isUuid(keyId)) throw new NotFoundError("Key not found.");
  const key = await getOwnKey(caller.verified.owner.id, keyId);
  if (caller.verified.key.restricted && keyId !== caller.verified.key.id) {
    throw new ForbiddenError("A key limited to some projects can only rotate or revoke itself. Use an unrestricted key or the console.");
  }
  return key;
}

export function registerKeys(app: OpenAPIHono<ApiEnv>) {
  app.openapi(listRoute, async (c) => {
    const { includeRevoked } = c.req.valid("query");
    const keys = await listKeysForOwner(c.get("caller").verified.owner.id, { includeRevoked: includeRevoked === "true" });
    return c.json({ keys: keys.map(toKeyJson) }, 200);
  });

  app.openapi(createKeyRoute, async (c) => {
    const caller = c.get("caller");
    if (caller.verified.owner.kind === "api_account") {
      throw new ForbiddenError("API accounts cannot create personal keys; a Global Admin manages an API account's key.");
    }
    if (caller.verified.key.restricted) {
      throw new ForbiddenError("A key limited to some projects cannot create keys. Use an unrestricted key or the console.");
    }
    const owner = await currentOwner(caller);
    const created = await createPersonalKey(owner, c.req.valid("json"), actorOf(caller));
    return c.json({ key: toKeyJson(created.key), secret: created.secret }, 201);
  });

  app.openapi(rotateRoute, async (c) => {
    const caller = c.get("caller");
    const { id } = c.req.valid("param");
    await ownKeyFor(caller, id);
    await currentOwner(caller);
    const grace = c.req.valid("json").grace ?? "immediately";
    const created = await rotateKey(caller.verified.owner.id, id, GRACE_PERIODS[grace], actorOf(caller));
    const old = await getOwnKey(caller.verified.owner.id, id);
    const stopsAt = old.graceExpiresAt ?? old.revokedAt ?? new Date();
    return c.json({ key: toKeyJson(created.key), secret: created.secret, oldKeyStopsAt: stopsAt.toISOString() }, 200);
  });

  app.openapi(deleteRoute, async (c) => {
    const caller = c.get("caller");
    const { id } = c.req.valid("param");
    await ownKeyFor(caller, id);
    await revokeKey(caller.verified.owner.id, id, actorOf(caller));
    return c.body(null, 204);
  });
}
