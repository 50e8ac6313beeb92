import "server-only";
import { z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { isGlobalAdmin, isOrgAdminAccount, NEEDS_UNRESTRICTED_KEY } from "@/lib/policy";
import type { ApiEnv } from "./pipeline";
import { type ProblemCode, problemOf } from "./problem";
import { errorResponses, isUuid } from "./schemas";

/**
 * Who may use /api/v1/admin: an unrestricted key of an active Global Admin
 * (lib/policy isGlobalAdmin). Every other valid key gets 403 for the whole
 * /admin surface (whether the record exists or not, so a non-admin learns
 * nothing about ids); to an admin, an unknown id is 404.
 */
export const ADMIN_TAG = "Administration";

const ONLY_ADMINS = "Only Global Admins can use the administration endpoints.";

/**
 * Runs before the routes' own validation, so that a non-admin is told 403
 * whatever it sends. The lib/ function behind each route asks the policy again.
 */
export function adminGuard(): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const caller = c.get("caller");
    if (!isGlobalAdmin(caller)) throw new ForbiddenError(isOrgAdminAccount(caller) ? NEEDS_UNRESTRICTED_KEY : ONLY_ADMINS);
    await next();
  };
}

/** Ids in paths: a malformed id is a record that does not exist. */
export function existingId(id: string, what: string): string {
  if (!isUuid(id)) throw new NotFoundError(`${what} not found.`);
  return id;
}

export type ProblemExample = { code: ProblemCode; detail: string; extra?: Record<string, unknown> };

const ADMIN_403: ProblemExample = { code: "forbidden", detail: ONLY_ADMINS };

/** errorResponses() with examples that say what this endpoint refuses, and always the 403 for non-admins. */
export function adminErrorResponses(examples: Partial<Record<403 | 404 | 409 | 422, ProblemExample>> = {}) {
  const all: Partial<Record<number, ProblemExample>> = { ...examples, 403: examples[403] ?? ADMIN_403 };
  const out = errorResponses(...Object.keys(all).map(Number));
  for (const [status, e] of Object.entries(all)) {
    if (!e) continue;
    const response = out[Number(status)];
    if (response) response.content["application/problem+json"].example = problemOf(Number(status), e.code, e.detail, e.extra);
  }
  out[403]!.description = "Forbidden: the key is not an unrestricted key of an active Global Admin (or the change is not allowed, e.g. a built-in role).";
  return out;
}

export const IdParam = (description: string, example: string) =>
  z.object({ id: z.string().openapi({ param: { name: "id", in: "path" }, format: "uuid", description, example }) });

/**
 * Page parameters shared by the paged admin lists. Optional query parameters carry no `example`:
 * Swagger UI's "Try it out" fills examples in, and a list (or a delete) would then run with them.
 */
export const pageParam = z.coerce
  .number({ error: "Use a whole page number from 1." })
  .int("Use a whole page number from 1.")
  .min(1, "Use a whole page number from 1.")
  .max(1_000_000, "Use a page number up to 1000000.")
  .optional()
  .openapi({ param: { name: "page", in: "query" }, description: "1-based page number. Default 1." });

export const pageSizeParam = (dflt: number) =>
  z.coerce
    .number({ error: "Use a page size of 25, 50 or 100." })
    .refine((n) => n === 25 || n === 50 || n === 100, "Use a page size of 25, 50 or 100.")
    .optional()
    .openapi({ param: { name: "pageSize", in: "query" }, description: `25, 50 or 100. Default ${dflt}.` });

export const pagedFields = {
  total: z.number().int().openapi({ description: "How many match the filters, over all pages.", example: 1 }),
  page: z.number().int().openapi({ example: 1 }),
  pageSize: z.number().int().openapi({ example: 25 }),
};
