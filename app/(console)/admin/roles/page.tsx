import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/card";
import { requireAdmin } from "@/lib/auth/guards";
import { listRoles } from "@/lib/roles";
import { AdminBreadcrumbs } from "../_components/breadcrumbs";
import { CreateRoleDialog, RolesTable } from "./_components/roles-table";

export const metadata: Metadata = { title: "Roles" };

export default async function RolesPage() {
  const admin = await requireAdmin();
  const roles = await listRoles(admin);
  return (
    <>
      <AdminBreadcrumbs current="Roles" />
      <PageHeader
        title="Roles"
        description="A role is a set of permissions held in a project. Admin, Editor and Viewer are built in; custom roles can be used wherever a role is chosen."
        actions={<CreateRoleDialog />}
      />
      <RolesTable roles={roles} />
    </>
  );
}
