import { RelativeTime } from "@/components/ui/relative-time";
import { type KeyStatus, STATUS_LABELS } from "@/lib/keys/lifecycle";

const styles: Record<KeyStatus, string> = {
  active: "bg-green-50 text-green-800 ring-green-600/20",
  expiring: "bg-amber-50 text-amber-800 ring-amber-600/20",
  rotating: "bg-sky-50 text-sky-800 ring-sky-600/20",
  expired: "bg-slate-100 text-slate-700 ring-slate-500/20",
  revoked: "bg-red-50 text-red-800 ring-red-600/20",
};

/** A key's status in the words of lib/keys/lifecycle, with when a key being replaced stops and who revoked one. */
export function KeyStatusBadge({ row }: { row: { status: KeyStatus; graceExpiresAt?: string | Date | null; revokedByAdmin?: boolean } }) {
  return (
    <div>
      <span className={`inline-flex items-center rounded-md px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset ${styles[row.status]}`}>
        {STATUS_LABELS[row.status]}
      </span>
      {row.status === "rotating" && row.graceExpiresAt && (
        <span className="mt-1 block max-w-44 text-xs text-slate-600">
          Stops working <RelativeTime value={row.graceExpiresAt} />
        </span>
      )}
      {row.status === "revoked" && row.revokedByAdmin && <span className="mt-1 block max-w-44 text-xs text-slate-600">Revoked by an administrator</span>}
    </div>
  );
}
