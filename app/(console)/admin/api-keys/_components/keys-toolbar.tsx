"use client";

import { EXPIRING_WITHIN_DAYS, KEY_STATUSES, STATUS_LABELS, UNUSED_FOR_DAYS } from "@/lib/keys/lifecycle";
import { FilterBar, FilterSelect } from "../../_components/filter-bar";
import type { ProjectOption } from "../../_components/membership-picker";

/** The inventory's search and filters, in the URL (which the export link reads too). */
export function KeysToolbar({ projects }: { projects: ProjectOption[] }) {
  return (
    <FilterBar placeholder="Owner, key name or key start">
      <FilterSelect name="type" label="Owner type" options={[["", "Any owner"], ["human", "Person"], ["api_account", "API account"]]} />
      <FilterSelect name="owner" label="Owner status" options={[["", "Any"], ["active", "Active"], ["disabled", "Owner disabled"]]} />
      <FilterSelect name="status" label="Status" options={[["", "Any status"], ...KEY_STATUSES.map((s): [string, string] => [s, STATUS_LABELS[s]])]} />
      <FilterSelect name="project" label="Project" options={[["", "All projects"], ...projects.map((p): [string, string] => [p.id, p.name])]} />
      <FilterSelect
        name="expiry"
        label="Expiry"
        options={[["", "Any expiry"], ["none", "No expiry"], ...EXPIRING_WITHIN_DAYS.map((d): [string, string] => [String(d), `Expiring within ${d} days`])]}
      />
      <FilterSelect
        name="usage"
        label="Use"
        options={[["", "Any use"], ["never", "Never used"], ...UNUSED_FOR_DAYS.map((d): [string, string] => [String(d), `Unused for ${d} days`])]}
      />
      <FilterSelect name="policy" label="Key policy" options={[["", "Any"], ["exceeds", "Exceeds the policy"]]} />
    </FilterBar>
  );
}
