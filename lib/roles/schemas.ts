import { z } from "zod";
import { isValidPermission } from "@/lib/policy/permissions";
import { safeText } from "@/lib/validation";

export const PERMISSION_HELP = "One per line: resource:action, such as documents:read, documents:* or *:read; * grants everything.";

export const permissionsSchema = z
  .array(z.string().trim())
  .transform((list) => [...new Set(list.filter(Boolean))])
  .pipe(
    z
      .array(z.string())
      .min(1, "Enter at least one permission.")
      .max(100, "Use at most 100 permissions.")
      .superRefine((list, ctx) => {
        for (const p of list) {
          if (!isValidPermission(p)) ctx.addIssue({ code: "custom", message: `“${p}” is not a valid permission. ${PERMISSION_HELP}` });
        }
      }),
  );

const roleNameSchema = safeText(64, { required: "Enter a name." });
const descriptionSchema = safeText(300, { multiline: true, invalidType: "Enter a description (or an empty one)." });

export const roleInputSchema = z.object({
  name: roleNameSchema,
  description: descriptionSchema.default(""),
  permissions: permissionsSchema,
});
export type RoleInput = z.infer<typeof roleInputSchema>;

/** A change to a custom role (REST PATCH): fields left out keep their value, so no default applies. */
export const roleChangesSchema = z.object({
  name: roleNameSchema.optional(),
  description: descriptionSchema.optional(),
  permissions: permissionsSchema.optional(),
});
export type RoleChanges = z.infer<typeof roleChangesSchema>;
