import type { Metadata } from "next";
import { Download } from "lucide-react";
import { Pagination } from "@/components/data-table/pagination";
import { PageHeader } from "@/components/ui/card";
import { requireAdmin } from "@/lib/auth/guards";
import { listKeyInventory } from "@/lib/keys/inventory";
import { inventoryFilters, inventoryQuerySchema } from "@/lib/keys/inventory-query";
import { mayAdministerKeys } from "@/lib/policy";
import { listProjectOptions } from "@/lib/projects";
import { parseLeniently, type RawSearchParams } from "@/lib/validation";
import { AdminBreadcrumbs } from "../_components/breadcrumbs";
import { IgnoredFilters } from "../_components/ignored-filters";
import { KeysTable } from "./_components/keys-table";
import { KeysToolbar } from "./_components/keys-toolbar";
import type { InventoryRowView } from "./_components/types";

export const metadata: Metadata = { title: "API Keys" };

export default async function AdminApiKeysPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const admin = await requireAdmin();
  const { data: query, ignored } = parseLeniently(inventoryQuerySchema, await searchParams);
  const [list, projects] = await Promise.all([listKeyInventory(admin, query), listProjectOptions(admin)]);
  const rows: InventoryRowView[] = list.rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    name: r.name,
    masked: r.masked,
    owner: r.owner,
    projects: r.projects.map((p) => p.name),
    restricted: r.restricted,
    createdAt: r.createdAt.toISOString(),
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
    expiresAt: r.expiresAt?.toISOString() ?? null,
    status: r.status,
    revokedByAdmin: r.revokedByAdmin,
    accepted: r.requests.accepted,
    refused: r.requests.refused,
  }));
  const exportParams = new URLSearchParams(inventoryFilters(query));
  exportParams.set("sort", `${query.sort.by}.${query.sort.desc ? "desc" : "asc"}`);
  return (
    <>
      <AdminBreadcrumbs current="API Keys" />
      <PageHeader
        title="API Keys"
        description="Every key of the organization, personal and API-account: who holds it, what it reaches, how it is used. Secrets are never shown here."
        actions={
          // A download, not a navigation: the file has every key that matches the filters, not only this page.
          <a
            href={`/admin/api-keys/export?${exportParams.toString()}`}
            download
            className="inline-flex items-center justify-center gap-1.5 rounded-md bg-white px-3.5 py-2 text-sm font-semibold text-slate-900 shadow-sm ring-1 ring-slate-300 ring-inset hover:bg-slate-50"
          >
            <Download aria-hidden className="h-4 w-4" /> Export CSV
          </a>
        }
      />
      <KeysToolbar projects={projects} />
      <IgnoredFilters ignored={ignored} labels={{ q: "Search" }} />
      <KeysTable rows={rows} canRevoke={mayAdministerKeys(admin)} />
      <Pagination page={list.page} pageSize={list.pageSize} total={list.total} />
    </>
  );
}
