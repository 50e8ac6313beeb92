"use client";

import { Search } from "lucide-react";
import { type ReactNode, useEffect, useRef, useState } from "react";
import { useUrlState } from "@/components/data-table/url-state";
import { Labelled } from "@/components/dialog-kit";

const select = "rounded-md border-0 py-2 pr-8 pl-3 text-sm ring-1 ring-slate-300 ring-inset max-md:w-full";

/**
 * A table's search box and filters (Users, API Keys): every change goes to the
 * URL, which the server page reads. The search is sent 300 ms after typing
 * stops, or at once on Enter. On phones the filters form a two-column grid.
 */
export function FilterBar({ placeholder, children }: { placeholder: string; children: ReactNode }) {
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
              placeholder={placeholder}
              className="block w-full rounded-md border-0 py-2 pr-3 pl-8 text-sm text-slate-900 ring-1 ring-slate-300 ring-inset"
            />
          </span>
        </label>
      </form>
      {children}
    </div>
  );
}

/** One filter: a select whose value is the URL parameter `name` ("" removes it). */
export function FilterSelect({ name, label, options }: { name: string; label: string; options: [string, string][] }) {
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
