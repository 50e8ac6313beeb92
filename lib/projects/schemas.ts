import { z } from "zod";
import { safeText } from "@/lib/validation";

export const projectNameSchema = safeText(100, { required: "Enter a name." });

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
