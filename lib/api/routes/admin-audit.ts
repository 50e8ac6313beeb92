import "server-only";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { actionLabel, AUDIT_ACTIONS, type AuditAction } from "@/lib/audit/actions";
import { type AuditRow, listAuditEvents } from "@/lib/audit/list";
import { AUDIT_DAY_MESSAGE, AUDIT_DAYS_REVERSED, auditActorSchema, auditDaySchema, auditQuerySchema } from "@/lib/audit/schemas";
import { ADMIN_TAG, adminErrorResponses, pagedFields, pageParam, pageSizeParam } from "../admin";
import type { ApiEnv } from "../pipeline";
import { isoDate, successHeaders } from "../schemas";

const ACTIONS = Object.keys(AUDIT_ACTIONS) as [AuditAction, ...AuditAction[]];

const DAY_MESSAGE = AUDIT_DAY_MESSAGE;
const day = (name: "from" | "to", description: string, example: string) =>
  auditDaySchema
    .optional()
    .openapi({ param: { name, in: "query" }, format: "date", description: `${description} For example ${example}.` });

export const query = z
  .object({
    actor: auditActorSchema
      .optional()
      .openapi({ param: { name: "actor", in: "query" }, description: "Who did it: an email or username (also finds events of since-deleted users by the label they were written with), e.g. `ada@example.com`." }),
    action: z
      .enum(ACTIONS, { error: `Use one of ${ACTIONS.join(", ")}.` })
      .optional()
      .openapi({ param: { name: "action", in: "query" }, description: "One kind of event, e.g. `user.disabled`." }),
    from: day("from", "First day (UTC), inclusive.", "2026-03-01"),
    to: day("to", "Last day (UTC), inclusive.", "2026-03-31"),
    page: pageParam,
    pageSize: pageSizeParam(50),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: AUDIT_DAYS_REVERSED, path: ["to"] });

const EventSchema = z
  .object({
    id: z.number().int(),
    at: isoDate("2026-03-02T14:05:12.000Z"),
    actor: z.string().openapi({ description: "Who did it, as recorded then (email, username, or `system`).", example: "ada@example.com" }),
    action: z.string().openapi({ example: "user.disabled" }),
    actionLabel: z.string().openapi({ description: "The words the Audit log page shows.", example: "User disabled" }),
    targetType: z.string().nullable().openapi({ example: "user" }),
    targetLabel: z.string().nullable().openapi({ example: "billing-sync" }),
    ip: z.string().nullable().openapi({ example: "203.0.113.7" }),
    details: z.record(z.string(), z.unknown()).nullable().openapi({ description: "What changed. Never a secret.", example: { kind: "api_account" } }),
  })
  .openapi("AuditEvent");

const toJson = (e: AuditRow) => ({
  id: e.id,
  at: e.at.toISOString(),
  actor: e.actorLabel,
  action: e.action,
  actionLabel: actionLabel(e.action),
  targetType: e.targetType,
  targetLabel: e.targetLabel,
  ip: e.ip,
  details: e.details,
});

const listRoute = createRoute({
  method: "get",
  path: "/admin/audit-events",
  tags: [ADMIN_TAG],
  summary: "Audit events",
  description: "Every key and admin event, newest first, paged, filtered by actor, action and days (UTC). No secret ever appears in it.",
  request: { query },
  responses: {
    200: {
      description: "One page of events.",
      headers: successHeaders,
      content: {
        "application/json": {
          schema: z.object({ events: z.array(EventSchema), ...pagedFields }),
          example: {
            events: [
              {
                id: 4211,
                at: "2026-03-02T14:05:12.000Z",
                actor: "ada@example.com",
                action: "user.disabled",
                actionLabel: "User disabled",
                targetType: "user",
                targetLabel: "billing-sync",
                ip: "203.0.113.7",
                details: { kind: "api_account" },
              },
            ],
            total: 1,
            page: 1,
            pageSize: 50,
          },
        },
      },
    },
    ...adminErrorResponses({ 422: { code: "validation_failed", detail: DAY_MESSAGE, extra: { errors: { from: [DAY_MESSAGE] } } } }),
  },
});

export function registerAdminAudit(app: OpenAPIHono<ApiEnv>) {
  app.openapi(listRoute, async (c) => {
    const { pageSize, ...filters } = c.req.valid("query");
    const list = await listAuditEvents(c.var.caller, auditQuerySchema.parse({ ...filters, size: pageSize }));
    return c.json({ events: list.rows.map(toJson), total: list.total, page: list.page, pageSize: list.pageSize }, 200);
  });
}
