"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { adminSections } from "@/components/admin-nav";

export function AdminTabs() {
  const pathname = usePathname();
  return (
    <nav aria-label="Global Administration" className="mb-6 border-b border-slate-200">
      <ul className="-mb-px flex gap-6 text-sm">
        {adminSections.map((s) => {
          const current = pathname === s.href || pathname.startsWith(`${s.href}/`);
          return (
            <li key={s.href}>
              <Link
                href={s.href}
                aria-current={current ? "page" : undefined}
                className={`inline-block border-b-2 px-1 pb-3 ${current ? "border-indigo-600 font-semibold text-indigo-700" : "border-transparent text-slate-600 hover:text-slate-900"}`}
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
