import { ChevronRight } from "lucide-react";
import Link from "next/link";

/** Global Dashboard › Global Administration › <section>, as the user's guide names the way there. */
export function AdminBreadcrumbs({ current }: { current: string }) {
  const trail = [
    { href: "/", label: "Global Dashboard" },
    { href: "/admin", label: "Global Administration" },
  ];
  return (
    <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-600">
      <ol className="flex flex-wrap items-center gap-1">
        {trail.map((t) => (
          <li key={t.href} className="flex items-center gap-1">
            <Link href={t.href} className="hover:text-slate-900">
              {t.label}
            </Link>
            <ChevronRight aria-hidden className="h-3.5 w-3.5" />
          </li>
        ))}
        <li aria-current="page" className="font-medium text-slate-900">
          {current}
        </li>
      </ol>
    </nav>
  );
}
