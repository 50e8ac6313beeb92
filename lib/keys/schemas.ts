import { z } from "zod";

/** Shared by the Settings dialog, the REST API and the CLI's server side: one rule, one message. */
export const keyNameSchema = z
  .string({ error: "Enter a name." })
  .trim()
  .min(1, "Enter a name.")
  .max(64, "Use at most 64 characters.");

export const EXPIRATION_PRESETS = [7, 30, 90, 180, 365] as const;
export const DEFAULT_EXPIRATION_DAYS = 90;

export const expiresInDaysSchema = z
  .number({ error: "Enter a number of days." })
  .int("Enter a whole number of days.")
  .min(1, "Enter between 1 and 3650 days.")
  .max(3650, "Enter between 1 and 3650 days.")
  .nullable();

export const restrictionSchema = z
  .array(z.object({ projectId: z.uuid("Choose a project."), roleId: z.uuid("Choose a role.") }))
  .min(1, "Choose at least one project, or allow all your projects.")
  .max(200)
  .refine((r) => new Set(r.map((x) => x.projectId)).size === r.length, "Each project may appear once.")
  .nullable();

export const createKeySchema = z.object({
  name: keyNameSchema,
  expiresInDays: expiresInDaysSchema.default(DEFAULT_EXPIRATION_DAYS),
  restriction: restrictionSchema.default(null),
});
export type CreateKeyInput = z.infer<typeof createKeySchema>;

/** When the old key stops working after a rotation. */
export const GRACE_PERIODS = { immediately: 0, "1h": 3600, "24h": 86_400, "7d": 604_800 } as const;
export type GracePeriod = keyof typeof GRACE_PERIODS;
export const gracePeriodSchema = z.enum(Object.keys(GRACE_PERIODS) as [GracePeriod, ...GracePeriod[]], {
  error: "Choose when the old key stops working.",
});
