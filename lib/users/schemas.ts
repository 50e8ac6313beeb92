import { z } from "zod";
import { safeText } from "@/lib/validation";
import { expiresInDaysSchema } from "@/lib/keys/schemas";

/** Shared by the console's forms and the REST API: one rule, one message. */
export const USERNAME_RULE = "3–64 characters: lowercase letters a–z, digits 0–9, dots, underscores and hyphens.";

export const accountUsernameSchema = z
  .string({ error: "Enter a username." })
  .trim()
  .min(1, "Enter a username.")
  .min(3, "Use at least 3 characters.")
  .max(64, "Use at most 64 characters.")
  .regex(/^[a-z0-9._-]+$/, "Use only lowercase letters a–z, digits 0–9, dots (.), underscores (_) and hyphens (-).");

export const membershipsSchema = z
  .array(z.object({ projectId: z.uuid("Choose a project."), roleId: z.uuid("Choose a role for each selected project.") }))
  .max(500, "Choose at most 500 projects.")
  .refine((m) => new Set(m.map((x) => x.projectId)).size === m.length, "Each project may appear once.");
export type MembershipInput = z.infer<typeof membershipsSchema>;

export const createApiAccountSchema = z.object({
  username: accountUsernameSchema,
  memberships: membershipsSchema.refine((m) => m.length > 0, "Select at least one project."),
  /** The key's lifetime in days; null: no expiration; left out: the key policy's (none unless it sets a maximum). */
  expiresInDays: expiresInDaysSchema.optional(),
});
export type CreateApiAccountInput = z.infer<typeof createApiAccountSchema>;

export const personNameSchema = safeText(100, { required: "Enter a name." });

export const emailSchema = z.email("Enter a valid email address.").max(320, "Use at most 320 characters.");

/** The first Global Admin's name and email, asked on /setup (the password rule lives with the passwords, server-side). */
export const firstAdminSchema = z.object({
  name: safeText(100, { required: "Enter your name." }),
  email: emailSchema,
});

export const createPersonSchema = z.object({
  name: personNameSchema,
  email: emailSchema,
  isOrgAdmin: z.boolean().default(false),
  apiAccess: z.boolean().default(false),
  memberships: membershipsSchema.default([]),
});
export type CreatePersonInput = z.infer<typeof createPersonSchema>;

/** Fields left out are not changed; `memberships`, when given, replaces all of the user's memberships. */
export const updateUserSchema = z.object({
  name: personNameSchema.optional(),
  isOrgAdmin: z.boolean().optional(),
  apiAccess: z.boolean().optional(),
  memberships: membershipsSchema.optional(),
});
export type UpdateUserInput = z.infer<typeof updateUserSchema>;

export const USER_SORTS = ["name", "created", "lastActive"] as const;
export type UserSort = (typeof USER_SORTS)[number];
export const USER_PAGE_SIZES = [25, 50, 100] as const;

export const userSearchSchema = safeText(100, { tooLong: "Search with at most 100 characters." });

/**
 * The Users table's state, from the URL (`?q=&type=&status=&project=&sort=created.desc&page=&size=`)
 * or REST query parameters. An unrecognised choice falls back to its default; a search that cannot
 * be searched for fails, and the page leaves it out and says so (parseLeniently).
 */
export const userListQuerySchema = z.object({
  q: userSearchSchema.optional(),
  type: z.enum(["human", "api_account"]).optional().catch(undefined),
  status: z.enum(["active", "disabled"]).optional().catch(undefined),
  project: z.uuid().optional().catch(undefined),
  sort: z
    .string()
    .optional()
    .transform((s): { by: UserSort; desc: boolean } => {
      const [by, dir] = (s ?? "").split(".");
      return (USER_SORTS as readonly string[]).includes(by ?? "")
        ? { by: by as UserSort, desc: dir === "desc" }
        : { by: "created", desc: true };
    }),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1).default(1),
  size: z.coerce
    .number()
    .refine((n) => (USER_PAGE_SIZES as readonly number[]).includes(n))
    .catch(25)
    .default(25),
});
export type UserListQuery = z.infer<typeof userListQuerySchema>;
