import type { Metadata } from "next";
import { Pagination } from "@/components/data-table/pagination";
import { PageHeader } from "@/components/ui/card";
import { listAuditEvents } from "@/lib/audit/list";
import { auditQuerySchema } from "@/lib/audit/schemas";
import { requireAdmin } from "@/lib/auth/guards";
import { parseLeniently, type RawSearchParams } from "@/lib/validation";
import { AdminBreadcrumbs } from "../_components/breadcrumbs";
import { IgnoredFilters } from "../_components/ignored-filters";
import { AuditFilters } from "./_components/audit-filters";
import { AuditTable } from "./_components/audit-table";

export const metadata: Metadata = { title: "Audit log" };

type SearchParams = Promise<RawSearchParams>;

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  const admin = await requireAdmin();
  const { data: query, ignored } = parseLeniently(auditQuerySchema, await searchParams);
  const list = await listAuditEvents(admin, query);
  return (
    <>
      <AdminBreadcrumbs current="Audit log" />
      <PageHeader title="Audit log" description="Every key and admin event, newest first, in your time zone (From and To are UTC days)." />
      <AuditFilters />
      <IgnoredFilters ignored={ignored} labels={{ actor: "Actor", from: "From", to: "To" }} />
      <AuditTable rows={list.rows} />
      <Pagination page={list.page} pageSize={list.pageSize} total={list.total} />
    </>
  );
}
