import "server-only";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { ForbiddenError } from "@/lib/errors";
import { type VerifyResult, verifyKeyEager } from "@/lib/keys/verify";
import { verifierScope } from "@/lib/policy";
import { isValidPermission } from "@/lib/policy/permissions";
import { safeText } from "@/lib/validation";
import { type Admitted, type ApiEnv, apiCodeOf, recordChecked } from "../pipeline";
import { errorResponses, ProjectSchema, successHeaders, toProjectJson } from "../schemas";

/**
 * Who may verify keys: a key that holds `keys:verify` in at least one project
 * (the built-in Admin role has `*`), or an unrestricted key of a Global Admin
 * (lib/policy verifierScope). A project-scoped verifier learns only about the
 * projects where it holds `keys:verify`: asking about another project is 403,
 * a key with no access to any of them is answered `valid: false, code:
 * "forbidden"`, and whose a key is (its owner, its name) is told only for a
 * valid key within those projects. A Global Admin is told whose any key is.
 */
export const VerifyBody = z
  .object({
    key: z.string({ error: "Send the key to check." }).min(1, "Send the key to check.").max(256, "That is too long to be a key."),
    project: safeText(200, { required: "Name a project by its id or slug." }).optional().openapi({ description: "A project id or slug the key must have access to." }),
    permission: z
      .string()
      .refine(isValidPermission, "Use a permission like documents:read.")
      .optional()
      .openapi({ description: "A permission (`resource:action`) the key must hold (in `project` when given)." }),
  })
  .openapi("VerifyKeyRequest", { example: { key: "lk_pat_Ab3xQ7mN2pL9sR4tV8wY1zC5dF6gH0jK3a9QzT", project: "billing", permission: "invoices:read" } });

const VerifyAnswer = z
  .object({
    valid: z.boolean(),
    code: z.string().openapi({
      description: "`valid`, or why not: key_malformed, key_unknown, key_expired, key_revoked, owner_disabled, forbidden (no API access, project or permission).",
    }),
    detail: z.string().openapi({ description: "A sentence for logs; never contains the key." }),
    key: z
      .object({ id: z.uuid(), name: z.string(), expiresAt: z.string().nullable().openapi({ description: "When it stops working by itself (a key being replaced: the end of its grace period)." }) })
      .nullable()
      .openapi({ description: "The key, for a valid key within your projects (to a Global Admin: any key Latchkey knows). Null otherwise." }),
    owner: z
      .object({ id: z.uuid(), username: z.string(), kind: z.enum(["human", "api_account"]) })
      .nullable()
      .openapi({ description: "Whose key it is, told as `key` is. Null otherwise." }),
    projects: z.array(ProjectSchema).openapi({ description: "For a valid key: its projects that the caller may see. Empty otherwise." }),
  })
  .openapi("VerifyKeyResponse");

const verifyRoute = createRoute({
  method: "post",
  path: "/keys/verify",
  tags: ["Verification"],
  summary: "Check a key for another service",
  description:
    "How a backend that received a Latchkey key checks it in one call: is it valid (optionally for a project and a permission), and whose is it? " +
    "Answers 200 for valid and invalid keys alike. The caller needs `keys:verify` in some project (the built-in Admin role has it) " +
    "or an unrestricted Global Admin key; a project-scoped caller sees only its projects. Checking a key counts as a use of that key.",
  request: { body: { required: true, content: { "application/json": { schema: VerifyBody } } } },
  responses: {
    200: {
      description: "The verdict.",
      headers: successHeaders,
      content: {
        "application/json": {
          schema: VerifyAnswer,
          examples: {
            valid: {
              summary: "A valid key",
              value: {
                valid: true,
                code: "valid",
                detail: "The key is valid.",
                key: { id: "5d3c1c8e-3f0a-4f8e-9b1a-6a9f7e2d4c11", name: "CI deploy", expiresAt: "2026-05-30T09:30:00.000Z" },
                owner: { id: "9a1e0c52-6a1b-4a55-8d0e-2b7b9d1f3c21", username: "ada", kind: "human" },
                projects: [{ id: "0b6f8a5e-8d0c-4f43-9a43-2f3f8a1c9d10", slug: "billing", name: "Billing", role: "Editor", permissions: ["*:read", "*:write"] }],
              },
            },
            revoked: {
              summary: "A revoked key",
              value: { valid: false, code: "key_revoked", detail: "This key has been revoked.", key: null, owner: null, projects: [] },
            },
          },
        },
      },
    },
    ...errorResponses(403, 422),
  },
});

export type VerifyQuestion = z.infer<typeof VerifyBody>;
export type VerifyAnswerJson = z.infer<typeof VerifyAnswer>;

/**
 * POST /keys/verify's answer: the Hono route and the fast path in
 * lib/api/listener.ts both call this. Synchronous while the asked-about key is cached.
 */
export function answerVerify(a: Admitted, q: VerifyQuestion): VerifyAnswerJson | Promise<VerifyAnswerJson> {
  const scope = verifierScope(a.caller, a.verified.projects);
  if (q.project && scope && !a.verified.projects.some((p) => (p.id === q.project || p.slug === q.project) && scope.has(p.id))) {
    throw new ForbiddenError(`You may not verify keys for project ${q.project}.`);
  }
  // The request context is the asker's: the key's own client is behind the other service.
  const result = verifyKeyEager(q.key, a.caller, { project: q.project, permission: q.permission, within: scope ?? undefined });
  return result instanceof Promise ? result.then((r) => verdict(r, scope, a.caller.ip)) : verdict(result, scope, a.caller.ip);
}

function verdict(result: VerifyResult, scope: ReadonlySet<string> | null, ip: string): VerifyAnswerJson {
  recordChecked(result, ip);
  const told = result.valid || !scope;
  return {
    valid: result.valid,
    code: apiCodeOf(result.code),
    detail: result.valid ? "The key is valid." : result.detail,
    key: told && result.key ? { id: result.key.id, name: result.key.name, expiresAt: result.key.expiresAt?.toISOString() ?? null } : null,
    owner: told && result.owner ? { id: result.owner.id, username: result.owner.username, kind: result.owner.kind } : null,
    projects: result.valid ? result.projects.map(toProjectJson) : [],
  };
}

export function registerVerify(app: OpenAPIHono<ApiEnv>) {
  app.openapi(verifyRoute, async (c) => c.json(await answerVerify({ ok: true, caller: c.var.caller, verified: c.var.verified, headers: {} }, c.req.valid("json")), 200));
}
