/**
 * Permissions are `resource:action` strings. `*` grants everything,
 * `documents:*` every action on documents, `*:read` reading anything.
 */
export const PERMISSION_PATTERN = /^(\*|[a-z][a-z0-9_-]{0,39}:(\*|[a-z][a-z0-9_-]{0,39})|\*:[a-z][a-z0-9_-]{0,39})$/;

export function isValidPermission(p: string): boolean {
  return PERMISSION_PATTERN.test(p);
}

function split(p: string): [string, string] {
  if (p === "*") return ["*", "*"];
  const i = p.indexOf(":");
  return [p.slice(0, i), p.slice(i + 1)];
}

/** Does the granted pattern cover the required permission (or pattern)? */
export function covers(granted: string, required: string): boolean {
  if (granted === "*" || granted === required) return true;
  const [gr, ga] = split(granted);
  const [rr, ra] = split(required);
  return (gr === "*" || gr === rr) && (ga === "*" || ga === ra);
}

export function allows(granted: readonly string[], required: string): boolean {
  return granted.some((g) => covers(g, required));
}

/** A role is at most another when everything it grants, the other grants too. */
export function isWithin(role: readonly string[], limit: readonly string[]): boolean {
  return role.every((p) => allows(limit, p));
}

/** What both grant: used when a key's restriction narrows its owner's role. */
export function intersect(a: readonly string[], b: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of a) if (allows(b, p)) out.add(p);
  for (const p of b) if (allows(a, p)) out.add(p);
  return [...out].sort();
}
