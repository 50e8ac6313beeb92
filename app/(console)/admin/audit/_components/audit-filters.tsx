"use client";

import { useUrlState } from "@/components/data-table/url-state";
import { Button } from "@/components/ui/button";
import { AUDIT_ACTIONS } from "@/lib/audit/actions";
import { Labelled } from "@/components/dialog-kit";

const input = "block rounded-md border-0 px-3 py-2 text-sm text-slate-900 ring-1 ring-slate-300 ring-inset";

/** Filters apply together when submitted; they live in the URL so a view can be shared. */
export function AuditFilters() {
  const { params, set } = useUrlState();
  // Re-mount (and so re-read the URL) only when the filters themselves change, e.g. Clear or
  // the back button; paging does not wipe what is being typed.
  const key = ["actor", "action", "from", "to"].map((k) => params.get(k) ?? "").join("|");
  return (
    <form
      key={key}
      role="search"
      aria-label="Filter the audit log"
      className="mb-4 flex flex-wrap items-end gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        const value = (name: string) => String(form.get(name) ?? "").trim() || null;
        set({ actor: value("actor"), action: value("action"), from: value("from"), to: value("to") });
      }}
    >
      <Labelled label="Actor">
        {(id) => <input id={id} name="actor" type="search" defaultValue={params.get("actor") ?? ""} placeholder="Email or username" className={`${input} w-64`} />}
      </Labelled>
      <Labelled label="Action">
        {(id) => (
          <select id={id} name="action" defaultValue={params.get("action") ?? ""} className={`${input} pr-8`}>
            <option value="">All actions</option>
            {Object.entries(AUDIT_ACTIONS).map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
        )}
      </Labelled>
      <Labelled label="From">{(id) => <input id={id} name="from" type="date" defaultValue={params.get("from") ?? ""} className={input} />}</Labelled>
      <Labelled label="To">{(id) => <input id={id} name="to" type="date" defaultValue={params.get("to") ?? ""} className={input} />}</Labelled>
      <Button type="submit">Apply filters</Button>
      <Button variant="ghost" onClick={() => set({ actor: null, action: null, from: null, to: null })}>
        Clear
      </Button>
    </form>
  );
}
