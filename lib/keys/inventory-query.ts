import { z } from "zod";
import { safeText } from "@/lib/validation";
import { EXPIRING_WITHIN_DAYS, KEY_STATUSES, UNUSED_FOR_DAYS } from "./lifecycle";

/**
 * The state of Global Administration > API Keys, from the URL
 * (`?q=&type=&status=&project=&expiry=&usage=&owner=&policy=&sort=created.desc&page=&size=`),
 * the CSV export and the REST API's query parameters. Pure (the toolbar imports
 * the choices). An unrecognised choice falls back to its default; a search that
 * cannot be searched for fails, and the page leaves it out and says so.
 */
export const INVENTORY_SORTS = ["owner", "name", "created", "lastUsed", "expires", "status"] as const;
export type InventorySort = (typeof INVENTORY_SORTS)[number];
export const INVENTORY_PAGE_SIZES = [25, 50, 100] as const;

/** `none`: never expires; a number: live and ending within that many days. */
export const EXPIRY_FILTERS = ["none", ...EXPIRING_WITHIN_DAYS.map(String)] as [string, ...string[]];
/** `never`: never used; a number: no request for that many days. */
export const USAGE_FILTERS = ["never", ...UNUSED_FOR_DAYS.map(String)] as [string, ...string[]];

export const inventorySearchSchema = safeText(100, { tooLong: "Search with at most 100 characters." });

export const inventoryQuerySchema = z.object({
  q: inventorySearchSchema.optional(),
  type: z.enum(["human", "api_account"]).optional().catch(undefined),
  status: z.enum(KEY_STATUSES).optional().catch(undefined),
  project: z.uuid().optional().catch(undefined),
  expiry: z.enum(EXPIRY_FILTERS).optional().catch(undefined),
  usage: z.enum(USAGE_FILTERS).optional().catch(undefined),
  owner: z.enum(["active", "disabled"]).optional().catch(undefined),
  /** `exceeds`: working keys that live longer than the key policy now allows a new key (lib/policy/key-policy.ts). */
  policy: z.enum(["exceeds"]).optional().catch(undefined),
  sort: z
    .string()
    .optional()
    .transform((s): { by: InventorySort; desc: boolean } => {
      const [by, dir] = (s ?? "").split(".");
      return (INVENTORY_SORTS as readonly string[]).includes(by ?? "") ? { by: by as InventorySort, desc: dir === "desc" } : { by: "created", desc: true };
    }),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1).default(1),
  size: z.coerce
    .number()
    .refine((n) => (INVENTORY_PAGE_SIZES as readonly number[]).includes(n))
    .catch(25)
    .default(25),
});
export type InventoryQuery = z.infer<typeof inventoryQuerySchema>;

/** The filters of a query as URL parameters (for the export link and the REST API's answers). */
export function inventoryFilters(q: InventoryQuery): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ["q", "type", "status", "project", "expiry", "usage", "owner", "policy"] as const) {
    const v = q[k];
    if (v) out[k] = v;
  }
  return out;
}

/** Key ids for bulk revocation: at most one page's worth of the largest page, and a few more. */
export const MAX_BULK_KEYS = 500;
export const bulkKeyIdsSchema = z
  .array(z.uuid("Use key ids."), { error: "Send the key ids as a list." })
  .min(1, "Select at least one key.")
  .max(MAX_BULK_KEYS, `Revoke at most ${MAX_BULK_KEYS} keys at once.`)
  .transform((ids) => [...new Set(ids)]);
