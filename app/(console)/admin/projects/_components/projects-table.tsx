"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { FolderPlus, Pencil, Trash2 } from "lucide-react";
import { DataTable } from "@/components/data-table/data-table";
import { CheckboxField, Field, FormError } from "@/components/ui/field";
import { RelativeTime } from "@/components/ui/relative-time";
import type { ProjectRow } from "@/lib/projects";
import { ConfirmForm, DialogButton, FormButtons, RowActions, rowDialog } from "@/components/dialog-kit";
import { useDialogAction } from "@/components/use-dialog-action";
import { createProjectAction, deleteProjectAction, renameProjectAction } from "../actions";

export function CreateProjectDialog() {
  return (
    <DialogButton label="Create project" icon={<FolderPlus aria-hidden className="h-4 w-4" />}>
      {(close) => <ProjectNameForm action={createProjectAction} submit="Create project" onDone={close} />}
    </DialogButton>
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
      <FormButtons onCancel={onDone} pending={pending} submit={submit} pendingLabel="Saving…" />
    </form>
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function ProjectActions({ project: p }: { project: ProjectRow }) {
  return (
    <RowActions
      rowId={p.id}
      actions={[
        {
          key: "rename",
          label: `Rename ${p.name}`,
          icon: <Pencil aria-hidden className="h-4 w-4" />,
          dialog: rowDialog({ title: `Rename ${p.name}`, render: (close) => <ProjectNameForm action={renameProjectAction} submit="Save" project={p} onDone={close} /> }),
        },
        {
          key: "delete",
          label: `Delete ${p.name}`,
          icon: <Trash2 aria-hidden className="h-4 w-4" />,
          dialog: rowDialog({ title: `Delete ${p.name}?`, render: (close) => (
            <ConfirmForm action={deleteProjectAction} hidden={{ projectId: p.id }} submit="Delete project" pendingLabel="Deleting…" onDone={close}>
              <p className="text-sm text-slate-700">
                {p.memberCount ? `${p.name} has ${plural(p.memberCount, "member")}. Their keys lose access to it at once.` : `${p.name} has no members.`} This cannot be undone.
              </p>
              {p.memberCount > 0 && <CheckboxField label={`Also remove its ${plural(p.memberCount, "member")} from the project`} name="removeMembers" />}
            </ConfirmForm>
          ) }),
        },
      ]}
    />
  );
}

// Module-level, so that the cell components keep their identity across refreshes.
const columns: ColumnDef<ProjectRow>[] = [
  { accessorKey: "name", header: "Name" },
  { accessorKey: "slug", header: "Slug", cell: ({ row }) => <code className="text-xs">{row.original.slug}</code> },
  { accessorKey: "memberCount", header: "Members" },
  { accessorKey: "createdAt", header: "Created", cell: ({ row }) => <RelativeTime value={row.original.createdAt} className="whitespace-nowrap" /> },
  { id: "actions", header: "Actions", enableSorting: false, cell: ({ row }) => <ProjectActions project={row.original} /> },
];

export function ProjectsTable({ projects }: { projects: ProjectRow[] }) {
  return <DataTable data={projects} columns={columns} getRowId={(p) => p.id} caption="Projects" empty="No projects yet. Create the first one." />;
}
