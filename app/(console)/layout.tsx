import { BookOpen, KeyRound } from "lucide-react";
import Link from "next/link";
import { redirect } from "next/navigation";
import { adminSections } from "@/components/admin-nav";
import { CompactMenu, UserMenu } from "@/components/user-menu";
import { requireUser } from "@/lib/auth/guards";
import { isSetupPending } from "@/lib/users";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  if (await isSetupPending()) redirect("/setup");
  const user = await requireUser();
  const email = user.email ?? user.username;
  const showAdmin = user.isOrgAdmin && adminSections.length > 0;
  return (
    <div className="min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:font-medium focus:text-indigo-700 focus:shadow focus:ring-2 focus:ring-indigo-600"
      >
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex h-14 max-w-7xl items-center justify-between gap-4 px-4">
          <nav aria-label="Main" className="flex min-w-0 items-center gap-6 text-sm">
            <Link href="/" className="flex shrink-0 items-center gap-2 font-semibold">
              <KeyRound aria-hidden className="h-5 w-5 text-indigo-600" />
              Global Dashboard
            </Link>
            {showAdmin && (
              <Link href="/admin" className="hidden text-slate-700 hover:text-slate-900 md:inline">
                Global Administration
              </Link>
            )}
          </nav>
          <div className="hidden items-center gap-3 md:flex">
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
            <UserMenu name={user.name} email={email} />
          </div>
          <div className="md:hidden">
            <CompactMenu name={user.name} email={email} isOrgAdmin={showAdmin} />
          </div>
        </div>
      </header>
      {/* tabIndex: the skip link, and dialogs whose opener is gone, can move focus here. */}
      <main id="main" tabIndex={-1} className="mx-auto max-w-7xl px-4 py-8 outline-none">
        {children}
      </main>
    </div>
  );
}
