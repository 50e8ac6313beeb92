import type { Metadata } from "next";
import { Pagination } from "@/components/data-table/pagination";
import { PageHeader } from "@/components/ui/card";
import { listAuditEvents } from "@/lib/audit/list";
import { auditQuerySchema } from "@/lib/audit/schemas";
import { requireAdmin } from "@/lib/auth/guards";
import { AdminBreadcrumbs } from "../_components/breadcrumbs";
import { AuditFilters } from "./_components/audit-filters";
import { AuditTable } from "./_components/audit-table";

export const metadata: Metadata = { title: "Audit log" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  const admin = await requireAdmin();
  const raw = await searchParams;
  const query = auditQuerySchema.parse(Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])));
  const list = await listAuditEvents(admin, query);
  return (
    <>
      <AdminBreadcrumbs current="Audit log" />
      <PageHeader title="Audit log" description="Every key and admin event, newest first. Times are in UTC." />
      <AuditFilters />
      <AuditTable rows={list.rows} />
      <Pagination page={list.page} pageSize={list.pageSize} total={list.total} />
    </>
  );
}
