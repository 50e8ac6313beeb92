import { z } from "zod";
import { calendarDate, DATE_MESSAGE, safeText } from "@/lib/validation";
import { AUDIT_ACTIONS, type AuditAction } from "./actions";

export const AUDIT_DAY_MESSAGE = DATE_MESSAGE;
export const AUDIT_DAYS_REVERSED = "The last day comes before the first.";

/** Who did it: an email, a username or the label an event was written with. */
export const auditActorSchema = safeText(320);
/** A UTC day, inclusive at both ends of the range. */
export const auditDaySchema = calendarDate(AUDIT_DAY_MESSAGE);

/**
 * The Audit log's filters, from the URL or REST query parameters:
 * `actor` (an email, username or the label an event was written with), `action`, `from`/`to` (UTC days, inclusive).
 * An unknown action or page falls back to its default; an actor or day that cannot be searched for fails,
 * and the page leaves it out and says so (parseLeniently), while the REST API answers 422.
 */
export const auditQuerySchema = z
  .object({
    actor: auditActorSchema.optional(),
    action: z
      .enum(Object.keys(AUDIT_ACTIONS) as [AuditAction, ...AuditAction[]])
      .optional()
      .catch(undefined),
    from: auditDaySchema.optional(),
    to: auditDaySchema.optional(),
    page: z.coerce.number().int().min(1).max(1_000_000).catch(1).default(1),
    size: z.coerce
      .number()
      .refine((n) => [25, 50, 100].includes(n))
      .catch(50)
      .default(50),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: AUDIT_DAYS_REVERSED, path: ["to"] });
export type AuditQuery = z.infer<typeof auditQuerySchema>;
