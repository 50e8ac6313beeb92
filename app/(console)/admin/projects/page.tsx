import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/card";
import { requireAdmin } from "@/lib/auth/guards";
import { listProjects } from "@/lib/projects";
import { AdminBreadcrumbs } from "../_components/breadcrumbs";
import { CreateProjectDialog, ProjectsTable } from "./_components/projects-table";

export const metadata: Metadata = { title: "Projects" };

export default async function ProjectsPage() {
  const admin = await requireAdmin();
  const projects = await listProjects(admin);
  return (
    <>
      <AdminBreadcrumbs current="Projects" />
      <PageHeader title="Projects" description="The services and data that keys unlock. Each member holds one role per project." actions={<CreateProjectDialog />} />
      <ProjectsTable projects={projects} />
    </>
  );
}
