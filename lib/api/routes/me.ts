import "server-only";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { ApiEnv, ValidKey } from "../pipeline";
import { errorResponses, ProjectSchema, successHeaders, toProjectJson } from "../schemas";

export const MeSchema = z
  .object({
    owner: z.object({
      id: z.uuid(),
      username: z.string(),
      name: z.string(),
      kind: z.enum(["human", "api_account"]),
      email: z.string().nullable(),
      isOrgAdmin: z.boolean().openapi({ description: "The owner is a Global Admin. Admin powers through a key need an unrestricted key." }),
    }),
    key: z.object({
      id: z.uuid(),
      name: z.string(),
      kind: z.enum(["pat", "sa"]),
      start: z.string(),
      lastFour: z.string(),
      expiresAt: z.string().nullable().openapi({ format: "date-time" }),
      restricted: z.boolean().openapi({ description: "The key is limited to some of its owner's projects." }),
    }),
    projects: z.array(ProjectSchema),
  })
  .openapi("Me");

const meRoute = createRoute({
  method: "get",
  path: "/me",
  tags: ["Identity"],
  summary: "Who this key is",
  description:
    "The key's owner, the key itself, and the projects the key may act in with the role and permissions it has there " +
    "(the owner's current roles, narrowed by the key's restriction).",
  responses: {
    200: {
      description: "The caller's identity.",
      headers: successHeaders,
      content: {
        "application/json": {
          schema: MeSchema,
          example: {
            owner: { id: "9a1e0c52-6a1b-4a55-8d0e-2b7b9d1f3c21", username: "ada", name: "Ada Admin", kind: "human", email: "ada@example.com", isOrgAdmin: false },
            key: { id: "5d3c1c8e-3f0a-4f8e-9b1a-6a9f7e2d4c11", name: "CI deploy", kind: "pat", start: "lk_pat_Ab3x", lastFour: "9QzT", expiresAt: "2026-05-30T09:30:00.000Z", restricted: false },
            projects: [{ id: "0b6f8a5e-8d0c-4f43-9a43-2f3f8a1c9d10", slug: "billing", name: "Billing", role: "Editor", permissions: ["*:read", "*:write"] }],
          },
        },
      },
    },
    ...errorResponses(403),
  },
});

type Me = z.infer<typeof MeSchema>;

// A valid verification is shared by the requests of one cached key (lib/keys/verify.ts): so is its answer.
const answers = new WeakMap<ValidKey, { json: Me; text: string; length: string }>();

/** GET /me's answer for a verified key, built once per cached verification. */
export function meAnswer(verified: ValidKey): { json: Me; text: string; length: string } {
  let answer = answers.get(verified);
  if (!answer) {
    const { owner, key, projects } = verified;
    const json: Me = {
      owner: { id: owner.id, username: owner.username, name: owner.name, kind: owner.kind, email: owner.email, isOrgAdmin: owner.isOrgAdmin },
      key: { id: key.id, name: key.name, kind: key.kind, start: key.start, lastFour: key.lastFour, expiresAt: key.expiresAt?.toISOString() ?? null, restricted: key.restricted },
      projects: projects.map(toProjectJson),
    };
    const text = JSON.stringify(json);
    answer = { json, text, length: String(Buffer.byteLength(text)) };
    answers.set(verified, answer);
  }
  return answer;
}

/** Also answered by lib/api/listener.ts ahead of Hono, from the same meAnswer. */
export function registerMe(app: OpenAPIHono<ApiEnv>) {
  app.openapi(meRoute, (c) => c.json(meAnswer(c.var.verified).json, 200));
}
