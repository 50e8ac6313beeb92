import { Card } from "@/components/ui/card";
import type { DailyRequests } from "@/lib/dashboard/api-requests";

const dayLabel = (day: string) => new Date(`${day}T00:00:00Z`).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
const n = (v: number) => v.toLocaleString("en-US");

/** Stacked bars in plain HTML (no chart library), with the same numbers in a table for screen readers. */
export function ApiRequestsChart({ data, scope }: { data: DailyRequests[]; scope: "all" | "mine" }) {
  const accepted = data.reduce((s, d) => s + d.accepted, 0);
  const refused = data.reduce((s, d) => s + d.refused, 0);
  const max = Math.max(1, ...data.map((d) => d.accepted + d.refused));
  const first = data[0]?.day;
  const last = data.at(-1)?.day;
  return (
    <Card
      title="API requests (30 days)"
      description={`${scope === "all" ? "All keys" : "Your keys"}, per day (UTC). Refused: the key was revoked, expired, over its rate limit or not allowed.`}
      className="mt-6"
    >
      <p className="flex flex-wrap gap-x-6 gap-y-1 text-sm">
        <span className="flex items-center gap-2">
          <span aria-hidden className="inline-block h-3 w-3 rounded-sm bg-indigo-500" />
          Accepted: <strong className="tabular-nums">{n(accepted)}</strong>
        </span>
        <span className="flex items-center gap-2">
          <span aria-hidden className="inline-block h-3 w-3 rounded-sm bg-rose-500" />
          Refused: <strong className="tabular-nums">{n(refused)}</strong>
        </span>
      </p>
      <div aria-hidden className="mt-4">
        <div className="flex h-40 items-end gap-1 border-b border-l border-slate-200 pl-1">
          {data.map((d) => {
            const total = d.accepted + d.refused;
            return (
              <div
                key={d.day}
                title={`${dayLabel(d.day)}: ${n(d.accepted)} accepted, ${n(d.refused)} refused`}
                className="flex h-full flex-1 flex-col justify-end"
              >
                {total > 0 && (
                  <div className="flex flex-col overflow-hidden rounded-t-sm" style={{ height: `${Math.max(2, (total / max) * 100)}%` }}>
                    <div className="bg-rose-500" style={{ flexGrow: d.refused }} />
                    <div className="bg-indigo-500" style={{ flexGrow: d.accepted }} />
                  </div>
                )}
              </div>
            );
          })}
        </div>
        <div className="mt-1 flex justify-between text-xs text-slate-500">
          <span>{first && dayLabel(first)}</span>
          <span>Peak: {n(max === 1 && accepted + refused === 0 ? 0 : max)} a day</span>
          <span>{last && dayLabel(last)}</span>
        </div>
      </div>
      <table className="sr-only">
        <caption>API requests per day, last 30 days</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Accepted</th>
            <th scope="col">Refused</th>
          </tr>
        </thead>
        <tbody>
          {data.map((d) => (
            <tr key={d.day}>
              <th scope="row">{dayLabel(d.day)}</th>
              <td>{d.accepted}</td>
              <td>{d.refused}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
