import "server-only";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { ForbiddenError } from "@/lib/errors";
import { isValidPermission, allows } from "@/lib/keys/permissions";
import { usageRecorder } from "@/lib/keys/usage-recorder";
import { actsAsGlobalAdmin, verifyKey, type ProjectAccess, type VerifyResult } from "@/lib/keys/verify";
import { apiCodeOf, type ApiCaller, type ApiEnv } from "../auth";
import { errorResponses, ProjectSchema, successHeaders, toProjectJson } from "../schemas";

/**
 * Who may verify keys: a key that holds `keys:verify` in at least one project
 * (the built-in Admin role has `*`), or an unrestricted key of a Global Admin.
 * A project-scoped verifier learns only about the projects where it holds
 * `keys:verify`: asking about another project is 403, and a key with no
 * access to any of them is answered `valid: false, code: "forbidden"`.
 */
export const VERIFY_PERMISSION = "keys:verify";

const VerifyBody = z
  .object({
    key: z.string({ error: "Send the key to check." }).min(1, "Send the key to check.").max(256, "That is too long to be a key."),
    project: z.string().min(1).max(200).optional().openapi({ description: "A project id or slug the key must have access to." }),
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
    key: z.object({ id: z.uuid(), name: z.string(), expiresAt: z.string().nullable() }).nullable(),
    owner: z.object({ id: z.uuid(), username: z.string(), kind: z.enum(["human", "api_account"]) }).nullable(),
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
              value: {
                valid: false,
                code: "key_revoked",
                detail: "This key has been revoked.",
                key: { id: "5d3c1c8e-3f0a-4f8e-9b1a-6a9f7e2d4c11", name: "CI deploy", expiresAt: null },
                owner: { id: "9a1e0c52-6a1b-4a55-8d0e-2b7b9d1f3c21", username: "ada", kind: "human" },
                projects: [],
              },
            },
          },
        },
      },
    },
    ...errorResponses(403, 422),
  },
});

/** Project ids the caller may verify keys for; null means all of them. */
function verifierScope(caller: ApiCaller): Set<string> | null {
  if (actsAsGlobalAdmin(caller.verified)) return null;
  const ids = caller.verified.projects.filter((p) => allows(p.permissions, VERIFY_PERMISSION)).map((p) => p.id);
  if (!ids.length) {
    throw new ForbiddenError(`Verifying keys needs the ${VERIFY_PERMISSION} permission in a project (the Admin role has it), or an unrestricted Global Admin key.`);
  }
  return new Set(ids);
}

type Verdict = { result: VerifyResult; projects: ProjectAccess[] };

async function judgeFor(scope: Set<string> | null, caller: ApiCaller, body: z.infer<typeof VerifyBody>): Promise<Verdict> {
  if (body.project && scope) {
    const mine = caller.verified.projects.find((p) => (p.id === body.project || p.slug === body.project) && scope.has(p.id));
    if (!mine) throw new ForbiddenError(`You may not verify keys for project ${body.project}.`);
  }
  if (!scope || body.project) {
    const result = await verifyKey(body.key, { project: body.project, permission: body.permission });
    return { result, projects: result.valid ? result.projects.filter((p) => !scope || scope.has(p.id)) : [] };
  }
  // Scoped caller, no project named: the key must pass within the caller's projects.
  const result = await verifyKey(body.key);
  if (!result.valid) return { result, projects: [] };
  const visible = result.projects.filter((p) => scope.has(p.id));
  const forbidden = (detail: string): Verdict => ({ result: { valid: false, code: "forbidden", detail, key: result.key, owner: result.owner }, projects: [] });
  if (!visible.length) return forbidden("This key has no access to the projects you may verify keys for.");
  if (body.permission) {
    for (const p of visible) {
      // Answered from the verification cache: no database work per project.
      if ((await verifyKey(body.key, { project: p.id, permission: body.permission })).valid) return { result, projects: visible };
    }
    return forbidden(`This key lacks the permission ${body.permission} in the projects you may verify keys for.`);
  }
  return { result, projects: visible };
}

export function registerVerify(app: OpenAPIHono<ApiEnv>) {
  app.openapi(verifyRoute, async (c) => {
    const caller = c.get("caller");
    const scope = verifierScope(caller);
    const body = c.req.valid("json");
    const { result, projects } = await judgeFor(scope, caller, body);
    if (result.key) usageRecorder().record(result.key.id, result.valid ? "accepted" : "refused", caller.ip);
    return c.json(
      {
        valid: result.valid,
        code: apiCodeOf(result.code),
        detail: result.valid ? "The key is valid." : result.detail,
        key: result.key ? { id: result.key.id, name: result.key.name, expiresAt: result.key.expiresAt?.toISOString() ?? null } : null,
        owner: result.owner ? { id: result.owner.id, username: result.owner.username, kind: result.owner.kind } : null,
        projects: projects.map(toProjectJson),
      },
      200,
    );
  });
}
