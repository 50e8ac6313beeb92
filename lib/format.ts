/** Dates as the console shows them: short, unambiguous, in UTC so that server and browser agree. */
export function formatDate(value: Date | string | null | undefined, empty = "—"): string {
  if (!value) return empty;
  const d = typeof value === "string" ? new Date(value) : value;
  return d.toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
}

export function formatDateTime(value: Date | string | null | undefined, empty = "—"): string {
  if (!value) return empty;
  const d = typeof value === "string" ? new Date(value) : value;
  return `${d.toLocaleString("en-US", { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hour12: false, timeZone: "UTC" })} UTC`;
}
