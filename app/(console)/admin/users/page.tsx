import type { Metadata } from "next";
import { Pagination } from "@/components/data-table/pagination";
import { PageHeader } from "@/components/ui/card";
import { requireAdmin } from "@/lib/auth/guards";
import { listProjectOptions } from "@/lib/projects";
import { listRoleOptions } from "@/lib/roles";
import { listUsers } from "@/lib/users/admin";
import { userListQuerySchema } from "@/lib/users/schemas";
import { parseLeniently, type RawSearchParams } from "@/lib/validation";
import { AdminBreadcrumbs } from "../_components/breadcrumbs";
import { IgnoredFilters } from "../_components/ignored-filters";
import { getKeyPolicy } from "@/lib/keys/key-policy";
import { listAccountKeyProjectOptions } from "@/lib/keys/project-options";
import { AddApiAccountDialog } from "./_components/add-api-account-dialog";
import { AddUserDialog } from "./_components/add-user-dialog";
import { UsersTable } from "./_components/users-table";
import { UsersToolbar } from "./_components/users-toolbar";

export const metadata: Metadata = { title: "Users" };

type SearchParams = Promise<RawSearchParams>;

export default async function UsersPage({ searchParams }: { searchParams: SearchParams }) {
  const admin = await requireAdmin();
  const { data: query, ignored } = parseLeniently(userListQuerySchema, await searchParams);
  const [list, projects, roles, policy] = await Promise.all([listUsers(admin, query), listProjectOptions(admin), listRoleOptions(admin), getKeyPolicy()]);
  const keyOptions = await listAccountKeyProjectOptions(
    admin,
    list.rows.filter((u) => u.kind === "api_account").map((u) => u.id),
  );
  return (
    <>
      <AdminBreadcrumbs current="Users" />
      <PageHeader
        title="Users"
        description="People and API accounts, their projects and roles."
        actions={
          <>
            <AddUserDialog projects={projects} roles={roles} />
            <AddApiAccountDialog projects={projects} roles={roles} policy={policy} />
          </>
        }
      />
      <UsersToolbar projects={projects} />
      <IgnoredFilters ignored={ignored} labels={{ q: "Search" }} />
      <UsersTable rows={list.rows} projects={projects} roles={roles} currentUserId={admin.id} policy={policy} keyOptions={keyOptions} />
      <Pagination page={list.page} pageSize={list.pageSize} total={list.total} />
    </>
  );
}
