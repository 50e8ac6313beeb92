"use client";

import { Search } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { useUrlState } from "@/components/data-table/url-state";
import { Labelled } from "@/components/dialog-kit";
import { EXPIRING_WITHIN_DAYS, KEY_STATUSES, STATUS_LABELS, UNUSED_FOR_DAYS } from "@/lib/keys/lifecycle";
import type { ProjectOption } from "../../_components/membership-picker";

const select = "rounded-md border-0 py-2 pr-8 pl-3 text-sm ring-1 ring-slate-300 ring-inset max-md:w-full";

/** Search and filters; every change goes to the URL, which the server page (and the export link) reads. */
export function KeysToolbar({ projects }: { projects: ProjectOption[] }) {
  const { params, set } = useUrlState();
  const current = params.get("q") ?? "";
  const [q, setQ] = useState(current);
  const typed = useRef(false);

  useEffect(() => {
    if (!typed.current || q.trim() === current) return;
    const timer = setTimeout(() => set({ q: q.trim() || null }), 300);
    return () => clearTimeout(timer);
  }, [q, current, set]);

  return (
    <div role="search" className="mb-4 flex flex-wrap items-end gap-3 max-md:grid max-md:grid-cols-2">
      <form
        className="min-w-64 flex-1 max-md:col-span-2 max-md:min-w-0"
        onSubmit={(e) => {
          e.preventDefault();
          set({ q: q.trim() || null });
        }}
      >
        <label className="flex flex-col gap-1 text-xs font-medium text-slate-600">
          Search
          <span className="relative">
            <Search aria-hidden className="pointer-events-none absolute top-2.5 left-2.5 h-4 w-4 text-slate-400" />
            <input
              type="search"
              value={q}
              onChange={(e) => {
                typed.current = true;
                setQ(e.target.value);
              }}
              placeholder="Owner, key name or key start"
              className="block w-full rounded-md border-0 py-2 pr-3 pl-8 text-sm text-slate-900 ring-1 ring-slate-300 ring-inset"
            />
          </span>
        </label>
      </form>
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
    </div>
  );
}

function FilterSelect({ name, label, options }: { name: string; label: string; options: [string, string][] }) {
  const { params, set } = useUrlState();
  return (
    <Labelled label={label}>
      {(id) => (
        <select id={id} value={params.get(name) ?? ""} onChange={(e) => set({ [name]: e.target.value || null })} className={select}>
          {options.map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </select>
      )}
    </Labelled>
  );
}
