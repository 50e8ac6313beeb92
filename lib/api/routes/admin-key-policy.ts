import "server-only";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { getKeyPolicyForAdmin, keyPolicyJson, updateKeyPolicy } from "@/lib/keys/key-policy";
import { GRACE_CHOICES, MAX_EXPIRY_DAYS, MIN_EXPIRY_DAYS } from "@/lib/keys/lifecycle";
import { keyPolicyInputSchema } from "@/lib/keys/schemas";
import { ADMIN_TAG, adminErrorResponses } from "../admin";
import type { ApiEnv } from "../pipeline";
import { successHeaders } from "../schemas";

const KeyPolicySchema = z
  .object({
    maxLifetimeDays: z.number().int().nullable().openapi({ description: `Personal keys: the longest lifetime in days (${MIN_EXPIRY_DAYS}–${MAX_EXPIRY_DAYS}), or null for no limit.` }),
    allowNoExpiry: z.boolean().openapi({ description: "Whether a personal key may be made without an expiration (never together with a maximum lifetime)." }),
    defaultExpiryDays: z.number().int().openapi({ description: "The expiry offered first, and used when `expiresInDays` is left out of POST /keys." }),
    maxGrace: z.enum(GRACE_CHOICES).openapi({ description: "The longest grace period a rotation (or an API account's regeneration) may give the old key." }),
    maxAccountKeyLifetimeDays: z.number().int().nullable().openapi({ description: "API-account keys: the longest lifetime in days, or null for no limit." }),
  })
  .openapi("KeyPolicy");

const example = { maxLifetimeDays: 90, allowNoExpiry: false, defaultExpiryDays: 30, maxGrace: "24h" as const, maxAccountKeyLifetimeDays: 365 };

const body = keyPolicyInputSchema.openapi("UpdateKeyPolicyRequest", {
  description: "Fields left out keep their value. Setting a maximum lifetime also stops allowing “No expiration”. Existing keys are never changed.",
  example: { maxLifetimeDays: 90, defaultExpiryDays: 30, maxGrace: "24h" },
});

const getRoute = createRoute({
  method: "get",
  path: "/admin/key-policy",
  tags: [ADMIN_TAG],
  summary: "Read the key policy",
  description: "How long keys may live and how long a rotation may keep the old key working. Enforced for the console, the REST API and the CLI alike.",
  responses: {
    200: { description: "The policy.", headers: successHeaders, content: { "application/json": { schema: z.object({ policy: KeyPolicySchema }), example: { policy: example } } } },
    ...adminErrorResponses(),
  },
});

const putRoute = createRoute({
  method: "put",
  path: "/admin/key-policy",
  tags: [ADMIN_TAG],
  summary: "Change the key policy",
  description: "Audited with the policy before and after. Keys that already exist keep their expiry: the policy applies to keys made, rotated or edited from now on.",
  request: { body: { required: true, content: { "application/json": { schema: body } } } },
  responses: {
    200: { description: "The policy as changed.", headers: successHeaders, content: { "application/json": { schema: z.object({ policy: KeyPolicySchema }), example: { policy: example } } } },
    ...adminErrorResponses({
      422: {
        code: "validation_failed",
        detail: "The default expiry must be within the maximum lifetime (90 days).",
        extra: { errors: { defaultExpiryDays: ["The default expiry must be within the maximum lifetime (90 days)."] } },
      },
    }),
  },
});

export function registerAdminKeyPolicy(app: OpenAPIHono<ApiEnv>) {
  app.openapi(getRoute, async (c) => c.json({ policy: keyPolicyJson(await getKeyPolicyForAdmin(c.var.caller)) }, 200));
  app.openapi(putRoute, async (c) => c.json({ policy: keyPolicyJson(await updateKeyPolicy(c.var.caller, c.req.valid("json"))) }, 200));
}
