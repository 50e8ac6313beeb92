import "server-only";
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { DATABASE_UNAVAILABLE, unavailableCode, userFacing } from "@/lib/errors";
import { adminGuard } from "./admin";
import { type ApiEnv, authenticate, keyInQuery, keyInQueryResponse } from "./pipeline";
import { createDocsApp } from "./docs";
import { problem, problemOf, PROBLEMS_PAGE, problemResponse, validationProblem } from "./problem";
import { registerAdminAudit } from "./routes/admin-audit";
import { registerAdminKeyPolicy } from "./routes/admin-key-policy";
import { registerAdminKeys } from "./routes/admin-keys";
import { registerAdminProjects } from "./routes/admin-projects";
import { registerAdminRoles } from "./routes/admin-roles";
import { registerAdminUsers } from "./routes/admin-users";
import { registerKeys } from "./routes/keys";
import { registerMe } from "./routes/me";
import { registerProjects } from "./routes/projects";
import { registerVerify } from "./routes/verify";
import { ProblemSchema } from "./schemas";

const BASE = "/api/v1";
/** Answered without a key. */
const PUBLIC_PATHS = new Set([`${BASE}/health`, `${BASE}/openapi.json`]);

/** zod issues as `{ field: [messages] }`; issues about the whole body go under `body`. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const flat = z.flattenError(error);
  const errors: Record<string, string[]> = {};
  for (const [field, messages] of Object.entries(flat.fieldErrors as Record<string, string[] | undefined>)) {
    if (messages?.length) errors[field] = messages;
  }
  if (flat.formErrors.length) errors.body = flat.formErrors;
  return errors;
}

const healthRoute = createRoute({
  method: "get",
  path: "/health",
  tags: ["Service"],
  summary: "Is the server up",
  description: "Answers without a key: for load balancers and uptime checks.",
  security: [],
  responses: {
    200: {
      description: "The server and its database answer.",
      content: { "application/json": { schema: z.object({ status: z.literal("ok"), database: z.enum(["pglite", "postgres"]) }), example: { status: "ok", database: "postgres" } } },
    },
    503: {
      description: "The database does not answer.",
      content: { "application/problem+json": { schema: ProblemSchema, example: problem(503, "database_unavailable", "Database unavailable", DATABASE_UNAVAILABLE) } },
    },
  },
});

function createV1() {
  const api = new OpenAPIHono<ApiEnv>({
    defaultHook: (result) => {
      if (!result.success) return problemResponse(validationProblem(fieldErrorsOf(result.error)));
    },
  }).basePath(BASE);

  const auth = authenticate();
  api.use("*", async (c, next) => {
    if (PUBLIC_PATHS.has(c.req.path)) return next();
    return auth(c, next);
  });
  // Before the routes' own validation: a non-admin is refused whatever it sends, and learns nothing about ids.
  api.use("/admin/*", adminGuard());

  api.openapi(healthRoute, async (c) => {
    try {
      const { db, kind } = await getDatabase();
      await db.execute(sql`select 1`);
      return c.json({ status: "ok" as const, database: kind }, 200);
    } catch (error) {
      console.error(`health: database unavailable (${unavailableCode(error) ?? (error instanceof Error ? error.name : "unknown")})`);
      return c.json(problem(503, "database_unavailable", "Database unavailable", DATABASE_UNAVAILABLE), 503, {
        "content-type": "application/problem+json",
      });
    }
  });
  registerMe(api);
  registerProjects(api);
  registerKeys(api);
  registerVerify(api);
  registerAdminUsers(api);
  registerAdminProjects(api);
  registerAdminRoles(api);
  registerAdminAudit(api);
  registerAdminKeyPolicy(api);
  registerAdminKeys(api);

  // One scheme, so that Swagger UI's Authorize is one box; X-API-Key is accepted too, and said so in the description.
  api.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "A Latchkey API key (`lk_pat_…` or `lk_sa_…`), sent as `Authorization: Bearer <key>`.",
  });

  let document: unknown;
  api.get("/openapi.json", (c) => {
    document ??= api.getOpenAPI31Document({
      openapi: "3.1.0",
      info: {
        title: "Latchkey API",
        version: "1",
        description:
          "The REST API that Latchkey keys unlock. Authenticate with `Authorization: Bearer <key>` (**Authorize** above takes a pasted key; " +
          "the `X-API-Key: <key>` header works too, a key in the URL never does). " +
          `Errors are \`application/problem+json\` with a stable \`code\`, each explained on [the error codes page](${PROBLEMS_PAGE}). ` +
          `Each key may make ${getConfig().apiRateLimit} requests a minute on this server; every response says how many are left in \`RateLimit-*\` headers.`,
      },
      security: [{ bearerAuth: [] }],
    });
    return c.json(document);
  });

  api.onError(errorResponse);
  return api;
}

/**
 * Any error thrown while answering, as the problem the client gets (also for
 * lib/api/listener.ts): Hono's own refusals, then userFacing (lib/errors.ts),
 * the mapping the console uses too.
 */
export function errorResponse(error: unknown): Response {
  if (error instanceof HTTPException) {
    if (error.status === 415) return problemResponse(problemOf(415, "unsupported_media_type", "Send the request body as application/json."));
    if (error.status === 400) return problemResponse(problemOf(400, "invalid_json", "The request body is not valid JSON."));
    return problemResponse(problemOf(error.status, "http_error", error.message));
  }
  const { status, code, message, fieldErrors } = userFacing(error, "api");
  // A key-policy refusal names the limit it went past (lib/errors PolicyLimitError).
  const limit = (error as { limit?: unknown } | null)?.limit;
  return problemResponse(problemOf(status, code, message, { ...(fieldErrors ? { errors: fieldErrors } : {}), ...(limit ? { limit } : {}) }));
}

/** /api/v1 (key-authenticated, machine traffic) and /api-docs (Swagger UI), in front of Next. */
export function createApiApp() {
  const root = new Hono();
  // Before anything else, the API and its docs page alike: a key in a URL is refused, never used.
  root.use("*", async (c, next) => (keyInQuery(c.req.url) ? keyInQueryResponse() : next()));
  root.route("/", createV1());
  root.route("/api-docs", createDocsApp());
  root.notFound(() => problemResponse(problemOf(404, "not_found", "No such endpoint or record.")));
  return root;
}
