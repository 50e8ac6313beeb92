import { RelativeTime } from "@/components/ui/relative-time";
import type { KeyRow } from "./types";

const styles = {
  active: "bg-green-50 text-green-800 ring-green-600/20",
  expiring: "bg-amber-50 text-amber-800 ring-amber-600/20",
  rotating: "bg-sky-50 text-sky-800 ring-sky-600/20",
  expired: "bg-slate-100 text-slate-700 ring-slate-500/20",
  revoked: "bg-red-50 text-red-800 ring-red-600/20",
} as const;

const labels = { active: "Active", expiring: "Expires soon", rotating: "Being replaced", expired: "Expired", revoked: "Revoked" } as const;

export function KeyStatusBadge({ row }: { row: Pick<KeyRow, "status" | "graceExpiresAt"> }) {
  return (
    <div>
      <span className={`inline-flex items-center rounded-md px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset ${styles[row.status]}`}>
        {labels[row.status]}
      </span>
      {row.status === "rotating" && row.graceExpiresAt && (
        <span className="mt-1 block max-w-44 text-xs text-slate-600">
          Stops working <RelativeTime value={row.graceExpiresAt} />
        </span>
      )}
    </div>
  );
}
