import type { Metadata } from "next";
import Link from "next/link";
import { adminSections } from "@/components/admin-nav";
import { PageHeader } from "@/components/ui/card";
import { requireAdmin } from "@/lib/auth/guards";

export const metadata: Metadata = { title: "Global Administration" };

export default async function AdminHome() {
  await requireAdmin();
  return (
    <>
      <PageHeader title="Global Administration" description="Users, API accounts, projects, roles and the audit log." />
      <ul className="grid gap-4 sm:grid-cols-2">
        {adminSections.map((s) => (
          <li key={s.href}>
            <Link href={s.href} className="block rounded-lg bg-white px-5 py-4 shadow-sm ring-1 ring-slate-200 hover:ring-indigo-300">
              <span className="font-semibold">{s.label}</span>
              <span className="mt-1 block text-sm text-slate-600">{s.description}</span>
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
