import { z } from "zod";

export const projectNameSchema = z
  .string({ error: "Enter a name." })
  .trim()
  .min(1, "Enter a name.")
  .max(100, "Use at most 100 characters.");

export const projectInputSchema = z.object({ name: projectNameSchema });
export type ProjectInput = z.infer<typeof projectInputSchema>;

/** A stable, URL-safe identifier made once from the first name; renaming keeps it, so API clients are unaffected. */
export function slugify(name: string): string {
  return (
    name
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 48)
      .replace(/-+$/, "") || "project"
  );
}
