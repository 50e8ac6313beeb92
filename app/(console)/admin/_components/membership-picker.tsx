"use client";

import { Search } from "lucide-react";
import { useId, useMemo, useState } from "react";
import { FieldErrorText, useFieldErrors } from "@/components/ui/field";

export type ProjectOption = { id: string; name: string };
export type RoleOption = { id: string; name: string; builtIn: boolean };
export type Membership = { projectId: string; roleId: string };

const SHOWN = 50;

/**
 * Select one or more projects (searchable) and a role in each. Posts
 * `project` once per selected project and `role:<projectId>` for its role.
 * Controlled, so a failed submission keeps the selection.
 */
export function MembershipPicker({
  projects,
  roles,
  initial = [],
  errors: submittedErrors,
  required,
}: {
  projects: ProjectOption[];
  roles: RoleOption[];
  initial?: Membership[];
  errors?: string[];
  required?: boolean;
}) {
  const id = useId();
  const [search, setSearch] = useState("");
  const [selected, setSelected] = useState<Membership[]>(initial);
  // Only the selection fixes "Select at least one project."; searching does not.
  const { errors, changed } = useFieldErrors(submittedErrors);
  const defaultRole = roles.find((r) => r.builtIn && r.name === "Viewer")?.id ?? roles[0]?.id ?? "";
  const nameOf = useMemo(() => new Map(projects.map((p) => [p.id, p.name])), [projects]);
  const matches = useMemo(() => {
    const q = search.trim().toLowerCase();
    return q ? projects.filter((p) => p.name.toLowerCase().includes(q)) : projects;
  }, [projects, search]);
  const isSelected = (projectId: string) => selected.some((m) => m.projectId === projectId);

  const toggle = (projectId: string, on: boolean) => {
    changed();
    setSelected((s) => (on ? [...s, { projectId, roleId: defaultRole }] : s.filter((m) => m.projectId !== projectId)));
  };
  const setRole = (projectId: string, roleId: string) => {
    changed();
    setSelected((s) => s.map((m) => (m.projectId === projectId ? { ...m, roleId } : m)));
  };

  const errorId = `${id}-error`;
  return (
    <fieldset aria-describedby={errors ? errorId : undefined} className="min-w-0 space-y-3">
      <legend className="text-sm font-medium text-slate-800">
        Projects{required ? "" : " (optional)"}
      </legend>
      {projects.length === 0 ? (
        <p className="text-sm text-slate-600">There are no projects yet. Create one under Global Administration &gt; Projects.</p>
      ) : (
        <>
          <div className="relative">
            <Search aria-hidden className="pointer-events-none absolute top-2.5 left-2.5 h-4 w-4 text-slate-400" />
            <input
              type="search"
              aria-label="Search projects"
              placeholder="Search projects…"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              onKeyDown={(e) => e.key === "Enter" && e.preventDefault()}
              className="block w-full rounded-md border-0 py-2 pr-3 pl-8 text-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-indigo-600"
            />
          </div>
          <ul className="max-h-40 space-y-1 overflow-y-auto rounded-md p-2 ring-1 ring-slate-200" aria-label="Projects to choose from">
            {matches.slice(0, SHOWN).map((p) => (
              <li key={p.id}>
                <label className="flex items-center gap-2 text-sm">
                  <input type="checkbox" checked={isSelected(p.id)} onChange={(e) => toggle(p.id, e.target.checked)} className="h-4 w-4 rounded border-slate-300" />
                  {p.name}
                </label>
              </li>
            ))}
            {matches.length === 0 && <li className="text-sm text-slate-600">No project matches “{search}”.</li>}
            {matches.length > SHOWN && <li className="text-xs text-slate-500">{matches.length - SHOWN} more: type to narrow the list.</li>}
          </ul>
        </>
      )}
      {selected.length > 0 && (
        <table className="w-full text-sm">
          <caption className="sr-only">Role in each selected project</caption>
          <thead>
            <tr className="text-left text-slate-600">
              <th scope="col" className="py-1 font-medium">
                Project
              </th>
              <th scope="col" className="py-1 font-medium">
                Role
              </th>
            </tr>
          </thead>
          <tbody>
            {selected.map((m) => {
              const name = nameOf.get(m.projectId) ?? "(deleted project)";
              return (
                <tr key={m.projectId}>
                  <td className="py-1 pr-3">
                    <input type="hidden" name="project" value={m.projectId} />
                    {name}
                  </td>
                  <td className="py-1">
                    <select
                      name={`role:${m.projectId}`}
                      aria-label={`Role for ${name}`}
                      value={m.roleId}
                      onChange={(e) => setRole(m.projectId, e.target.value)}
                      className="w-full rounded-md border-0 py-1.5 pr-8 pl-2 text-sm ring-1 ring-slate-300 ring-inset"
                    >
                      {roles.map((r) => (
                        <option key={r.id} value={r.id}>
                          {r.name}
                          {r.builtIn ? "" : " (custom)"}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <FieldErrorText id={errorId} errors={errors} className="" />
    </fieldset>
  );
}
