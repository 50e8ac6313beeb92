"use client";

import { useUrlState } from "./url-state";

export const PAGE_SIZES = [25, 50, 100] as const;

export function Pagination({ page, pageSize, total }: { page: number; pageSize: number; total: number }) {
  const { set } = useUrlState();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  return (
    <nav aria-label="Pagination" className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm text-slate-700">
      <p>
        {from.toLocaleString("en-US")}–{to.toLocaleString("en-US")} of {total.toLocaleString("en-US")}
      </p>
      <div className="flex items-center gap-3">
        <label className="flex items-center gap-2">
          Rows per page
          <select
            value={pageSize}
            onChange={(e) => set({ size: e.target.value })}
            className="rounded-md border-0 py-1 pr-7 pl-2 ring-1 ring-slate-300"
          >
            {PAGE_SIZES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <button type="button" disabled={page <= 1} onClick={() => set({ page: String(page - 1) })} className="rounded-md px-2.5 py-1 ring-1 ring-slate-300 disabled:opacity-40">
          Previous
        </button>
        <span>
          Page {page} of {pages}
        </span>
        <button type="button" disabled={page >= pages} onClick={() => set({ page: String(page + 1) })} className="rounded-md px-2.5 py-1 ring-1 ring-slate-300 disabled:opacity-40">
          Next
        </button>
      </div>
    </nav>
  );
}
