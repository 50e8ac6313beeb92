/** Says which filters in the URL were left out, and why, instead of failing the page. */
export function IgnoredFilters({ ignored, labels }: { ignored: Record<string, string[]>; labels: Record<string, string> }) {
  const entries = Object.entries(ignored);
  if (!entries.length) return null;
  return (
    <div role="status" className="mb-4 rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-amber-200 ring-inset">
      <p className="font-medium">{entries.length === 1 ? "A filter was left out:" : "Some filters were left out:"}</p>
      <ul className="mt-1 list-disc pl-5">
        {entries.map(([field, messages]) => (
          <li key={field}>
            {labels[field] ?? field}: {messages.join(" ")}
          </li>
        ))}
      </ul>
    </div>
  );
}
