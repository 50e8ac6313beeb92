import { z } from "zod";
import { isValidPermission } from "@/lib/keys/permissions";

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

export const roleInputSchema = z.object({
  name: z.string({ error: "Enter a name." }).trim().min(1, "Enter a name.").max(64, "Use at most 64 characters."),
  description: z.string().trim().max(300, "Use at most 300 characters.").default(""),
  permissions: permissionsSchema,
});
export type RoleInput = z.infer<typeof roleInputSchema>;
