import { z } from "zod";
import { AUDIT_ACTIONS, type AuditAction } from "./actions";

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)))
  .optional()
  .catch(undefined);

/**
 * The Audit log's filters, from the URL or REST query parameters:
 * `actor` (an email, username or the label an event was written with), `action`, `from`/`to` (UTC days, inclusive).
 */
export const auditQuerySchema = z.object({
  actor: z.string().trim().max(320).optional().catch(undefined),
  action: z
    .enum(Object.keys(AUDIT_ACTIONS) as [AuditAction, ...AuditAction[]])
    .optional()
    .catch(undefined),
  from: day,
  to: day,
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1).default(1),
  size: z.coerce
    .number()
    .refine((n) => [25, 50, 100].includes(n))
    .catch(50)
    .default(50),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;
