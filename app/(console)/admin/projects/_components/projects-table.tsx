"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { FolderPlus, Pencil, Trash2 } from "lucide-react";
import { useMemo, useState } from "react";
import { DataTable } from "@/components/data-table/data-table";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { CheckboxField, Field, FormError } from "@/components/ui/field";
import { formatDate } from "@/lib/format";
import type { ProjectRow } from "@/lib/projects";
import { useDialogAction } from "../../_components/use-dialog-action";
import { createProjectAction, deleteProjectAction, renameProjectAction } from "../actions";

export function CreateProjectDialog() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button onClick={() => setOpen(true)}>
        <FolderPlus aria-hidden className="h-4 w-4" />
        Create project
      </Button>
      <Dialog open={open} onOpenChange={setOpen} title="Create project">
        <ProjectNameForm action={createProjectAction} submit="Create project" onDone={() => setOpen(false)} />
      </Dialog>
    </>
  );
}

function ProjectNameForm({ action, submit, project, onDone }: { action: typeof createProjectAction; submit: string; project?: ProjectRow; onDone: () => void }) {
  const [state, formAction, pending] = useDialogAction(action, onDone);
  return (
    <form action={formAction} className="space-y-4" noValidate>
      {project && <input type="hidden" name="projectId" value={project.id} />}
      <FormError message={state.ok ? undefined : state.message} />
      <Field label="Name" name="name" required autoFocus defaultValue={state.values?.name ?? project?.name} errors={state.fieldErrors?.name} />
      {project && <p className="text-sm text-slate-600">The slug {project.slug} stays the same, so API clients that use it keep working.</p>}
      <DialogActions>
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : submit}
        </Button>
      </DialogActions>
    </form>
  );
}

function DeleteProjectForm({ project, onDone }: { project: ProjectRow; onDone: () => void }) {
  const [state, formAction, pending] = useDialogAction(deleteProjectAction, onDone);
  return (
    <form action={formAction} className="space-y-4">
      <input type="hidden" name="projectId" value={project.id} />
      <FormError message={state.ok ? undefined : state.message} />
      <p className="text-sm text-slate-700">
        {project.memberCount
          ? `${project.name} has ${project.memberCount} member${project.memberCount === 1 ? "" : "s"}. Their keys lose access to it at once.`
          : `${project.name} has no members.`}{" "}
        This cannot be undone.
      </p>
      {project.memberCount > 0 && <CheckboxField label={`Also remove its ${project.memberCount} member${project.memberCount === 1 ? "" : "s"} from the project`} name="removeMembers" />}
      <DialogActions>
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" variant="danger" disabled={pending}>
          {pending ? "Deleting…" : "Delete project"}
        </Button>
      </DialogActions>
    </form>
  );
}

function RowActions({ project }: { project: ProjectRow }) {
  const [open, setOpen] = useState<"rename" | "delete" | null>(null);
  const close = () => setOpen(null);
  return (
    <div className="flex gap-0.5">
      <button type="button" aria-label={`Rename ${project.name}`} title="Rename" onClick={() => setOpen("rename")} className="rounded-md p-1.5 text-slate-600 hover:bg-slate-100">
        <Pencil aria-hidden className="h-4 w-4" />
      </button>
      <button type="button" aria-label={`Delete ${project.name}`} title="Delete" onClick={() => setOpen("delete")} className="rounded-md p-1.5 text-slate-600 hover:bg-slate-100">
        <Trash2 aria-hidden className="h-4 w-4" />
      </button>
      <Dialog open={open === "rename"} onOpenChange={(o) => setOpen(o ? "rename" : null)} title={`Rename ${project.name}`}>
        <ProjectNameForm action={renameProjectAction} submit="Save" project={project} onDone={close} />
      </Dialog>
      <Dialog open={open === "delete"} onOpenChange={(o) => setOpen(o ? "delete" : null)} title={`Delete ${project.name}?`}>
        <DeleteProjectForm project={project} onDone={close} />
      </Dialog>
    </div>
  );
}

export function ProjectsTable({ projects }: { projects: ProjectRow[] }) {
  const columns = useMemo<ColumnDef<ProjectRow>[]>(
    () => [
      { accessorKey: "name", header: "Name" },
      { accessorKey: "slug", header: "Slug", cell: ({ row }) => <code className="text-xs">{row.original.slug}</code> },
      { accessorKey: "memberCount", header: "Members" },
      { accessorKey: "createdAt", header: "Created", cell: ({ row }) => formatDate(row.original.createdAt) },
      { id: "actions", header: "Actions", enableSorting: false, cell: ({ row }) => <RowActions project={row.original} /> },
    ],
    [],
  );
  return <DataTable data={projects} columns={columns} getRowId={(p) => p.id} caption="Projects" empty="No projects yet. Create the first one." />;
}
