/**
 * Where to send someone after signing in (or out): a path of our own origin,
 * or `fallback`. The URL is parsed as the browser will read it (backslashes,
 * tabs and newlines included), so `/\evil.example`, `//evil.example` and
 * `javascript:` never leave the site; a path that would still read as another
 * host once percent-decoded is refused too. Pure: used in the browser and on the server.
 */
export function sameOriginPath(to: string | null | undefined, origin: string, fallback = "/"): string {
  if (!to) return fallback;
  let base: URL;
  let url: URL;
  try {
    base = new URL(origin);
    url = new URL(to, `${base.origin}/`);
  } catch {
    return fallback;
  }
  if (url.origin !== base.origin) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (!path.startsWith("/") || /^\/[/\\]/.test(decoded(path).replace(/[\t\n\r]/g, ""))) return fallback;
  return path;
}

function decoded(path: string): string {
  let out = path;
  // Twice-encoded (%255C) is decoded twice; a malformed escape stops the decoding where it is.
  for (let i = 0; i < 3; i++) {
    try {
      const next = decodeURIComponent(out);
      if (next === out) break;
      out = next;
    } catch {
      break;
    }
  }
  return out;
}
