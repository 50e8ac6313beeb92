import type { Metadata } from "next";
import { Pagination } from "@/components/data-table/pagination";
import { PageHeader } from "@/components/ui/card";
import { requireAdmin } from "@/lib/auth/guards";
import { listProjectOptions } from "@/lib/projects";
import { listRoleOptions } from "@/lib/roles";
import { listUsers } from "@/lib/users/admin";
import { userListQuerySchema } from "@/lib/users/schemas";
import { AdminBreadcrumbs } from "../_components/breadcrumbs";
import { AddApiAccountDialog } from "./_components/add-api-account-dialog";
import { AddUserDialog } from "./_components/add-user-dialog";
import { UsersTable } from "./_components/users-table";
import { UsersToolbar } from "./_components/users-toolbar";

export const metadata: Metadata = { title: "Users" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function UsersPage({ searchParams }: { searchParams: SearchParams }) {
  const admin = await requireAdmin();
  const raw = await searchParams;
  const query = userListQuerySchema.parse(Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])));
  const [list, projects, roles] = await Promise.all([listUsers(admin, query), listProjectOptions(admin), listRoleOptions(admin)]);
  return (
    <>
      <AdminBreadcrumbs current="Users" />
      <PageHeader
        title="Users"
        description="People and API accounts, their projects and roles."
        actions={
          <>
            <AddUserDialog projects={projects} roles={roles} />
            <AddApiAccountDialog projects={projects} roles={roles} />
          </>
        }
      />
      <UsersToolbar projects={projects} />
      <UsersTable rows={list.rows} projects={projects} roles={roles} currentUserId={admin.id} />
      <Pagination page={list.page} pageSize={list.pageSize} total={list.total} />
    </>
  );
}
