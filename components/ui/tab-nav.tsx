"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** Underlined section tabs; the tab whose page (or a page below it) is open is marked current. */
export function TabNav({ label, sections }: { label: string; sections: { href: string; label: string }[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label={label} className="mb-6 border-b border-slate-200">
      <ul className="-mb-px flex flex-wrap gap-x-6 gap-y-2 text-sm">
        {sections.map((s) => {
          const current = pathname === s.href || pathname.startsWith(`${s.href}/`);
          return (
            <li key={s.href}>
              <Link
                href={s.href}
                aria-current={current ? "page" : undefined}
                className={`inline-block border-b-2 px-1 pb-3 font-medium ${current ? "border-indigo-600 text-indigo-700" : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900"}`}
              >
                {s.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
