import { BookOpen, KeyRound } from "lucide-react";
import Link from "next/link";
import { redirect } from "next/navigation";
import { adminSections } from "@/components/admin-nav";
import { UserMenu } from "@/components/user-menu";
import { requireUser } from "@/lib/auth/guards";
import { isSetupPending } from "@/lib/users";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  if (await isSetupPending()) redirect("/setup");
  const user = await requireUser();
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex h-14 max-w-7xl items-center justify-between gap-4 px-4">
          <nav aria-label="Main" className="flex items-center gap-6 text-sm">
            <Link href="/" className="flex items-center gap-2 font-semibold">
              <KeyRound aria-hidden className="h-5 w-5 text-indigo-600" />
              Global Dashboard
            </Link>
            {user.isOrgAdmin && adminSections.length > 0 && (
              <Link href="/admin" className="text-slate-700 hover:text-slate-900">
                Global Administration
              </Link>
            )}
          </nav>
          <div className="flex items-center gap-3">
            {/* Served by the Hono app next to /api/v1, not a Next page: a plain link, in a new tab. */}
            <a
              href="/api-docs"
              target="_blank"
              rel="noopener"
              className="flex items-center gap-1.5 rounded-md px-2 py-1.5 text-sm text-slate-700 hover:bg-slate-100"
            >
              <BookOpen aria-hidden className="h-4 w-4" />
              View API Docs
            </a>
            <UserMenu name={user.name} email={user.email ?? user.username} />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-7xl px-4 py-8">{children}</main>
    </div>
  );
}
