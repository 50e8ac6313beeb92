import { z } from "@hono/zod-openapi";
import { EXPIRING_SOON_DAYS, KEY_STATUSES } from "@/lib/keys/lifecycle";
import type { KeySummary } from "@/lib/keys/store";
import type { ProjectAccess } from "@/lib/keys/verify";
import { PROBLEM_TYPES, type ProblemCode, problemOf, problemType, STATUS_TITLES } from "./problem";

/** Response shapes of /api/v1: they validate nothing at run time, they document (and type) what handlers return. */

export const isoDate = (example: string) => z.string().openapi({ format: "date-time", example });
export const nullableIsoDate = (example: string | null) => z.string().nullable().openapi({ format: "date-time", example });

export const ProblemSchema = z
  .object({
    type: z.string().openapi({
      description: "Where the code is explained: a page of this server (a reference relative to the API's address).",
      example: problemType("key_revoked"),
    }),
    title: z.string().openapi({ example: "Unauthorized" }),
    status: z.number().int().openapi({ example: 401 }),
    detail: z.string().openapi({ example: "This key has been revoked." }),
    code: z.string().openapi({
      description: `Stable and machine-readable: ${Object.keys(PROBLEM_TYPES).join(", ")}.`,
      example: "key_revoked",
    }),
    errors: z
      .record(z.string(), z.array(z.string()))
      .optional()
      .openapi({ description: "422 only: messages per field.", example: { name: ["Enter a name."] } }),
  })
  .openapi("Problem");

const ERROR_EXAMPLES: Record<number, { code: ProblemCode; detail: string; extra?: Record<string, unknown> }> = {
  400: { code: "key_in_query", detail: "API keys are not accepted in the URL. Send the key in the Authorization: Bearer <key> header or in X-API-Key." },
  401: { code: "key_revoked", detail: "This key has been revoked." },
  403: { code: "forbidden", detail: "This key lacks the permission needed here." },
  404: { code: "not_found", detail: "Key not found." },
  409: { code: "conflict", detail: "This key has already been rotated or revoked." },
  422: { code: "validation_failed", detail: "Enter a name.", extra: { errors: { name: ["Enter a name."] } } },
  429: { code: "rate_limited", detail: "This key is over its limit of 600 requests a minute. Try again in 12 seconds." },
};

const DESCRIPTIONS: Record<number, string> = {
  400: "A key was sent in the query string (`key_in_query`).",
  401: "No key, or a key that is malformed, unknown, expired, revoked, or whose owner is disabled. Carries `WWW-Authenticate: Bearer`.",
  403: "The key is valid but may not do this.",
  404: "No such record among the caller's own.",
  409: "The record is in a state that does not allow this.",
  422: "The request body or parameters are not valid; `errors` lists the messages per field.",
  429: "Over the key's rate limit (or too many failed authentications from this address). See `Retry-After` and `RateLimit-*`.",
};

const rateLimitHeaderDocs = {
  "RateLimit-Limit": { description: "Requests allowed per minute for this key.", schema: { type: "integer" as const } },
  "RateLimit-Remaining": { description: "Requests left in the current window.", schema: { type: "integer" as const } },
  "RateLimit-Reset": { description: "Seconds until the window starts over.", schema: { type: "integer" as const } },
};

/** The error responses an endpoint may give, documented with an example each. */
export function errorResponses(...statuses: (keyof typeof ERROR_EXAMPLES)[]) {
  const out: Record<number, { description: string; headers?: Record<string, unknown>; content: { "application/problem+json": { schema: typeof ProblemSchema; example: unknown } } }> = {};
  for (const status of [400, 401, 429, ...statuses]) {
    const e = ERROR_EXAMPLES[status]!;
    out[status] = {
      description: `${STATUS_TITLES[status]}: ${DESCRIPTIONS[status]}`,
      ...(status === 401 ? { headers: { "WWW-Authenticate": { description: "`Bearer realm=\"latchkey\"`", schema: { type: "string" } } } } : {}),
      ...(status === 429 ? { headers: { "Retry-After": { description: "Seconds to wait.", schema: { type: "integer" } }, ...rateLimitHeaderDocs } } : {}),
      content: { "application/problem+json": { schema: ProblemSchema, example: problemOf(status, e.code, e.detail, e.extra) } },
    };
  }
  return out;
}

export const successHeaders = rateLimitHeaderDocs;

export const ProjectSchema = z
  .object({
    id: z.uuid().openapi({ example: "0b6f8a5e-8d0c-4f43-9a43-2f3f8a1c9d10" }),
    slug: z.string().openapi({ example: "billing" }),
    name: z.string().openapi({ example: "Billing" }),
    role: z.string().openapi({ description: "The role this key acts with in the project (narrowed by the key's restriction).", example: "Editor" }),
    permissions: z.array(z.string()).openapi({ example: ["*:read", "*:write"] }),
  })
  .openapi("Project");

export const toProjectJson = (p: ProjectAccess) => ({ id: p.id, slug: p.slug, name: p.name, role: p.role, permissions: p.permissions });


export const KeySchema = z
  .object({
    id: z.uuid().openapi({ example: "5d3c1c8e-3f0a-4f8e-9b1a-6a9f7e2d4c11" }),
    name: z.string().openapi({ example: "CI deploy" }),
    kind: z.enum(["pat", "sa"]).openapi({ description: "`pat`: a person's key; `sa`: an API account's key.", example: "pat" }),
    start: z.string().openapi({ description: "The first characters of the key, for recognising it.", example: "lk_pat_Ab3x" }),
    lastFour: z.string().openapi({ example: "9QzT" }),
    createdAt: isoDate("2026-03-01T09:30:00.000Z"),
    lastUsedAt: nullableIsoDate("2026-03-02T14:05:12.000Z").openapi({ description: "Recorded in batches: up to a few seconds behind." }),
    expiresAt: nullableIsoDate("2026-05-30T09:30:00.000Z").openapi({
      description: "When the key stops working by itself (for a key being replaced, the end of its grace period). Null: it does not expire.",
    }),
    status: z.enum(KEY_STATUSES).openapi({
      description: `\`expiring\`: within ${EXPIRING_SOON_DAYS} days of its expiry; \`rotating\`: replaced, still accepted until \`graceExpiresAt\`.`,
      example: "active",
    }),
    restriction: z
      .array(
        z.object({
          projectId: z.uuid(),
          projectName: z.string(),
          roleId: z.uuid(),
          roleName: z.string(),
        }),
      )
      .nullable()
      .openapi({ description: "Null: the key acts in all of its owner's projects with the owner's roles.", example: null }),
    revokedAt: nullableIsoDate(null),
    revokedByAdmin: z.boolean().openapi({ description: "Revoked by a Global Admin (Global Administration > API Keys), not by its owner.", example: false }),
    graceExpiresAt: nullableIsoDate(null).openapi({ description: "After a rotation with a grace period: when this (old) key stops working." }),
  })
  .openapi("Key");

export type KeyJson = z.infer<typeof KeySchema>;

export const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toKeyJson(k: KeySummary): KeyJson {
  return {
    id: k.id,
    name: k.name,
    kind: k.kind,
    start: k.start,
    lastFour: k.lastFour,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: iso(k.lastUsedAt),
    expiresAt: iso(k.expiresAt),
    status: k.status,
    restriction: k.restriction,
    revokedAt: iso(k.revokedAt),
    revokedByAdmin: k.revokedByAdmin,
    graceExpiresAt: iso(k.graceExpiresAt),
  };
}

export const IdParamSchema = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, format: "uuid", example: "5d3c1c8e-3f0a-4f8e-9b1a-6a9f7e2d4c11" }),
});

/** Ids in paths are checked by hand: a malformed id is a record that does not exist (404), not a 422. */
export { isUuid } from "@/lib/validation";
