import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/guards";
import { getDashboardCounts } from "@/lib/dashboard";
import { getApiRequestsPerDay } from "@/lib/dashboard/api-requests";
import { ApiRequestsChart } from "./_components/api-requests-chart";

export const metadata: Metadata = { title: "Global Dashboard" };

export default async function DashboardPage() {
  const user = await requireUser();
  // Global Admins see every key's traffic; everyone else sees their own keys'.
  const [counts, requests] = await Promise.all([
    getDashboardCounts(),
    getApiRequestsPerDay(user.isOrgAdmin ? {} : { ownerId: user.id }),
  ]);
  const stats = [
    { label: "Users", value: counts.users },
    { label: "API accounts", value: counts.apiAccounts },
    { label: "Active keys", value: counts.activeKeys },
    { label: "Keys expiring within 30 days", value: counts.expiringSoon },
  ];
  return (
    <>
      <PageHeader title="Global Dashboard" description={`Welcome, ${user.name}.`} />
      <dl className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {stats.map((s) => (
          <div key={s.label} className="rounded-lg bg-white px-5 py-4 shadow-sm ring-1 ring-slate-200">
            <dt className="text-sm text-slate-600">{s.label}</dt>
            <dd className="mt-1 text-3xl font-semibold tabular-nums" aria-label={`${s.label}: ${s.value}`}>
              {s.value.toLocaleString("en-US")}
            </dd>
          </div>
        ))}
      </dl>
      <ApiRequestsChart data={requests} scope={user.isOrgAdmin ? "all" : "mine"} />
    </>
  );
}
