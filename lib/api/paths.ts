/** The paths server.ts hands to the Hono app instead of Next: the REST API and its docs page. */
export function isApiPath(url: string): boolean {
  return hasPrefix(url, "/api/v1") || hasPrefix(url, "/api-docs");
}

function hasPrefix(url: string, prefix: string): boolean {
  if (!url.startsWith(prefix)) return false;
  const next = url.charCodeAt(prefix.length);
  // End of string, "/", "?" or "#": /api/v1x is not the API.
  return Number.isNaN(next) || next === 47 || next === 63 || next === 35;
}
