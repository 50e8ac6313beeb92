import { BookOpen, KeyRound } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { Card, PageHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/guards";
import { type Dashboard, getDashboard } from "@/lib/dashboard";
import { EXPIRING_SOON_DAYS } from "@/lib/keys/lifecycle";
import { ApiRequestsChart } from "./_components/api-requests-chart";

export const metadata: Metadata = { title: "Global Dashboard" };

function figures(d: Dashboard): { label: string; value: number }[] {
  return d.scope === "organization"
    ? [
        { label: "Users", value: d.users },
        { label: "API accounts", value: d.apiAccounts },
        { label: "Active keys", value: d.activeKeys },
        { label: `Keys expiring within ${EXPIRING_SOON_DAYS} days`, value: d.expiringSoon },
      ]
    : [
        { label: "My active keys", value: d.activeKeys },
        { label: `My keys expiring within ${EXPIRING_SOON_DAYS} days`, value: d.expiringSoon },
        { label: "My projects", value: d.projects },
      ];
}

const cta = "inline-flex items-center gap-1.5 rounded-md px-3.5 py-2 text-sm font-semibold shadow-sm focus-visible:outline-2 focus-visible:outline-offset-2";

function GettingStarted({ canGenerate }: { canGenerate: boolean }) {
  return (
    <Card title="Get started with the Latchkey API" className="mb-6">
      <p className="text-sm text-slate-700">
        {canGenerate
          ? "An API key lets your scripts, backends and tools call the Latchkey API as you. Generate your first key, then try it on the API docs page: Authorize, paste the key, Try it out."
          : "You do not have API access yet, so you cannot generate API keys. A Global Admin can grant it; meanwhile the API docs show what the API offers."}
      </p>
      <div className="mt-4 flex flex-wrap gap-3">
        {canGenerate && (
          <Link href="/settings/api-keys" className={`${cta} bg-indigo-600 text-white hover:bg-indigo-500 focus-visible:outline-indigo-600`}>
            <KeyRound aria-hidden className="h-4 w-4" />
            Generate your first API key
          </Link>
        )}
        <a href="/api-docs" target="_blank" rel="noopener" className={`${cta} bg-white text-slate-900 ring-1 ring-slate-300 ring-inset hover:bg-slate-50`}>
          <BookOpen aria-hidden className="h-4 w-4" />
          Read the API docs
        </a>
      </div>
    </Card>
  );
}

export default async function DashboardPage() {
  const user = await requireUser();
  // Which figures (the organization's or the viewer's own) is decided in lib/dashboard, not here.
  const dashboard = await getDashboard(user);
  const stats = figures(dashboard);
  return (
    <>
      <PageHeader title="Global Dashboard" description={`Welcome, ${user.name}.`} />
      {dashboard.gettingStarted && <GettingStarted canGenerate={dashboard.gettingStarted.canGenerate} />}
      <dl className={`grid grid-cols-2 gap-3 sm:gap-4 ${stats.length === 4 ? "lg:grid-cols-4" : "lg:grid-cols-3"}`}>
        {stats.map((s) => (
          <div key={s.label} className="rounded-lg bg-white px-5 py-4 shadow-sm ring-1 ring-slate-200">
            <dt className="text-sm text-slate-600">{s.label}</dt>
            <dd className="mt-1 text-3xl font-semibold tabular-nums" aria-label={`${s.label}: ${s.value}`}>
              {s.value.toLocaleString("en-US")}
            </dd>
          </div>
        ))}
      </dl>
      <ApiRequestsChart data={dashboard.requests} scope={dashboard.scope === "organization" ? "all" : "mine"} />
    </>
  );
}
