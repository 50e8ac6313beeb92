"use client";

import { FilterBar, FilterSelect } from "../../_components/filter-bar";
import type { ProjectOption } from "../../_components/membership-picker";

/** The Users table's search and filters, in the URL. */
export function UsersToolbar({ projects }: { projects: ProjectOption[] }) {
  return (
    <FilterBar placeholder="Name, username or email">
      <FilterSelect name="type" label="Type" options={[["", "All types"], ["human", "User"], ["api_account", "API account"]]} />
      <FilterSelect name="status" label="Status" options={[["", "Any status"], ["active", "Active"], ["disabled", "Disabled"]]} />
      <FilterSelect name="project" label="Project" options={[["", "All projects"], ...projects.map((p): [string, string] => [p.id, p.name])]} />
    </FilterBar>
  );
}
