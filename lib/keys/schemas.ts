import { z } from "zod";
import { EXPIRY_BOUNDS_MESSAGE, GRACE_CHOICES, MAX_EXPIRY_DAYS, MIN_EXPIRY_DAYS } from "./lifecycle";
import { safeText } from "@/lib/validation";

/** Shared by the Settings dialog, the REST API and the CLI's server side: one rule, one message. */
export const keyNameSchema = safeText(64, { required: "Enter a name." });


export const expiresInDaysSchema = z
  .number({ error: "Enter a number of days." })
  .int("Enter a whole number of days.")
  .min(MIN_EXPIRY_DAYS, EXPIRY_BOUNDS_MESSAGE)
  .max(MAX_EXPIRY_DAYS, EXPIRY_BOUNDS_MESSAGE)
  .nullable();

/** One project of a restriction: its role by id (the console), by name (the CLI), or neither for the owner's own role there. */
const restrictionItemSchema = z
  .object({
    projectId: z.uuid("Choose a project."),
    roleId: z.uuid("Choose a role.").optional(),
    role: safeText(64, { required: "Enter a role name." }).optional(),
  })
  .refine((r) => r.roleId === undefined || r.role === undefined, "Give a role by its id or by its name, not both.");

export const restrictionSchema = z
  .array(restrictionItemSchema)
  .min(1, "Choose at least one project, or allow all your projects.")
  .max(200)
  .refine((r) => new Set(r.map((x) => x.projectId)).size === r.length, "Each project may appear once.")
  .nullable();

export const createKeySchema = z.object({
  name: keyNameSchema,
  /** Left out: the key policy's default expiry. */
  expiresInDays: expiresInDaysSchema.optional(),
  restriction: restrictionSchema.default(null),
});
export type CreateKeyInput = z.infer<typeof createKeySchema>;

/** PATCH /keys/{id} and the Edit dialog: fields left out keep their value. */
export const updateKeySchema = z
  .object({
    name: keyNameSchema.optional(),
    /** Days from now; null for no expiration (within the key policy). */
    expiresInDays: expiresInDaysSchema.optional(),
    restriction: restrictionSchema.optional(),
  })
  .refine((v) => v.name !== undefined || v.expiresInDays !== undefined || v.restriction !== undefined, "Change the name, the expiry or the projects.");
export type UpdateKeyInput = z.infer<typeof updateKeySchema>;

/** When the old key stops working after a rotation (lib/keys/lifecycle GRACE_PERIODS). */
export const gracePeriodSchema = z.enum(GRACE_CHOICES, {
  error: "Choose when the old key stops working.",
});

const lifetimeDays = z
  .number({ error: "Enter a number of days, or null for no limit." })
  .int("Enter a whole number of days.")
  .min(MIN_EXPIRY_DAYS, EXPIRY_BOUNDS_MESSAGE)
  .max(MAX_EXPIRY_DAYS, EXPIRY_BOUNDS_MESSAGE);

/** The key policy as an admin sets it (PUT /admin/key-policy, the Key policy page): any field left out keeps its value. */
export const keyPolicyInputSchema = z.object({
  maxLifetimeDays: lifetimeDays.nullable().optional(),
  allowNoExpiry: z.boolean({ error: "Say whether keys may be made without an expiration." }).optional(),
  defaultExpiryDays: lifetimeDays.optional(),
  maxGrace: gracePeriodSchema.optional(),
  maxAccountKeyLifetimeDays: lifetimeDays.nullable().optional(),
});
export type KeyPolicyInput = z.infer<typeof keyPolicyInputSchema>;
