import { requireAdmin } from "@/lib/auth/guards";
import { exportKeyInventory } from "@/lib/keys/inventory";
import { inventoryQuerySchema } from "@/lib/keys/inventory-query";
import { parseLeniently } from "@/lib/validation";

/**
 * "Export CSV": the inventory with the page's filters and sort, every page, as
 * a download (display parts only; audited as keys.exported). A GET a link can
 * make; it changes nothing but the audit log, and a non-admin gets 404.
 */
export async function GET(request: Request): Promise<Response> {
  const admin = await requireAdmin();
  const { data: query } = parseLeniently(inventoryQuerySchema, Object.fromEntries(new URL(request.url).searchParams));
  const { csv } = await exportKeyInventory(admin, query);
  const day = new Date().toISOString().slice(0, 10);
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="latchkey-api-keys-${day}.csv"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
