"use client";

import type { SortingState } from "@tanstack/react-table";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect } from "react";

// Shared by every control on the page: a second change before the first navigation lands
// (two filters picked quickly) builds on the first instead of on the stale URL.
let pending: { pathname: string; query: string } | null = null;

/** Table state lives in the URL (`?q=&page=&size=&sort=name.asc`): bookmarkable, and the back button works. */
export function useUrlState() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  useEffect(() => {
    if (pending?.query === params.toString()) pending = null;
  }, [params]);

  const set = useCallback(
    (updates: Record<string, string | null>, { resetPage = true } = {}) => {
      const next = new URLSearchParams(pending?.pathname === pathname ? pending.query : params.toString());
      for (const [k, v] of Object.entries(updates)) {
        if (v === null || v === "") next.delete(k);
        else next.set(k, v);
      }
      if (resetPage && !("page" in updates)) next.delete("page");
      const qs = next.toString();
      pending = { pathname, query: qs };
      router.push(qs ? `${pathname}?${qs}` : pathname);
    },
    [params, pathname, router],
  );

  const sorting: SortingState = (() => {
    const [id, dir] = (params.get("sort") ?? "").split(".");
    return id ? [{ id, desc: dir === "desc" }] : [];
  })();

  const onSortingChange = (updater: SortingState | ((old: SortingState) => SortingState)) => {
    const value = typeof updater === "function" ? updater(sorting) : updater;
    const first = value[0];
    set({ sort: first ? `${first.id}.${first.desc ? "desc" : "asc"}` : null });
  };

  return { params, set, sorting, onSortingChange };
}
