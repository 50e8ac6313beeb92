import { actionLabel, type AuditAction } from "./actions";

/**
 * The audit log as sentences a person reads: "Ada Admin rotated key
 * “Production”; the old key stops working Dec 1, 14:59". One function per
 * action (the table below must have them all); pure, so that the page and the
 * tests share it. A time is a part of its own, for the browser to show in the
 * viewer's time zone.
 */

/** Someone an event names: a person by name, an API account by username, or only the label the event kept. */
export type Party = { id?: string | null; name: string; kind: "person" | "api_account" | "system" | "unknown" };

/** An event with the names it refers to resolved (lib/audit/list.ts does that for a page of events). */
export type NamedEvent = {
  action: string;
  actor: Party;
  /** The key the actor acted with (REST API, CLI), by name if it still exists; null from the console. */
  viaKey: { name: string | null } | null;
  targetLabel: string | null;
  /** For events about a person or API account. */
  user?: Party;
  /** For events about a key: its name and its owner. */
  key?: { name: string; owner: Party | null };
  details: Record<string, unknown> | null;
};

export type SentencePart = string | { at: string };
export type Sentence = SentencePart[];

/** "Ada Admin", "API account ci-bot". */
export function partyName(p: Party): string {
  return p.kind === "api_account" ? `API account ${p.name}` : p.name;
}
const possessive = (p: Party) => `${partyName(p)}’s`;
const quoted = (s: string) => `“${s}”`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

type Membership = { project: string; role: string };
const isMemberships = (v: unknown): v is Membership[] => Array.isArray(v) && v.every((m) => typeof m?.project === "string" && typeof m?.role === "string");
const projectsText = (list: Membership[]) => list.map((m) => `${m.project} (${m.role})`).join(", ");

/** `{ from, to }` as the change records write it, or the bare new value. */
function changedTo(v: unknown): unknown {
  return v && typeof v === "object" && !Array.isArray(v) && "to" in v ? (v as { to: unknown }).to : v;
}
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === "string" && v ? v : undefined);
const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === "string") ? v : undefined);

function clauses(parts: string[]): string {
  return parts.length <= 2 ? parts.join(" and ") : parts.join("; ");
}

type Describe = (e: NamedEvent, d: Record<string, unknown>) => Sentence | string;

/** The person or account the event is about, with the kind the action implies when the row is gone. */
function subject(e: NamedEvent, kind?: Party["kind"]): Party {
  if (e.user) return e.user;
  return { name: e.targetLabel ?? "someone since deleted", kind: kind ?? "unknown" };
}
const subjectOfKind = (e: NamedEvent, d: Record<string, unknown>) => subject(e, d.kind === "api_account" ? "api_account" : d.kind === "human" ? "person" : undefined);

/** `key “CI”` when it is the actor's own, `API account ci-bot’s key “Default”` otherwise. */
function keyPhrase(e: NamedEvent): string {
  const name = e.key?.name ?? e.targetLabel ?? "since deleted";
  const owner = e.key?.owner;
  const own = !owner || (owner.id ? owner.id === e.actor.id : owner.name === e.actor.name);
  return own ? `key ${quoted(name)}` : `${possessive(owner)} key ${quoted(name)}`;
}

const SIGN_IN_FAILURES: Record<string, string> = {
  wrong_password: "wrong password",
  unknown_email: "no account has this email",
  disabled: "the account is disabled",
  pending: "the attempt did not finish",
};

const A = (e: NamedEvent) => partyName(e.actor);

const POLICY_WORDS: Record<string, (v: unknown) => string> = {
  maxLifetimeDays: (v) => `personal keys live ${typeof v === "number" ? `at most ${plural(v, "day")}` : "without a limit"}`,
  allowNoExpiry: (v) => (v === true ? "“No expiration” allowed" : "“No expiration” not allowed"),
  defaultExpiryDays: (v) => `default expiry ${typeof v === "number" ? plural(v, "day") : "unknown"}`,
  maxGrace: (v) => `longest grace period ${v === "immediately" ? "none" : String(v)}`,
  maxAccountKeyLifetimeDays: (v) => `API-account keys live ${typeof v === "number" ? `at most ${plural(v, "day")}` : "without a limit"}`,
};
/** "personal keys live at most 90 days (was without a limit)", one clause per field that changed. */
function keyPolicyChanges(before: unknown, after: unknown): string[] {
  if (!after || typeof after !== "object") return [];
  const b = (before && typeof before === "object" ? before : {}) as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  return Object.keys(POLICY_WORDS)
    .filter((k) => k in a && a[k] !== b[k])
    .map((k) => `${POLICY_WORDS[k]!(a[k])}${k in b ? ` (was: ${POLICY_WORDS[k]!(b[k])})` : ""}`);
}

export const SENTENCES: Record<AuditAction, Describe> = {
  "auth.signed_in": (e) => `${A(e)} signed in`,
  "auth.sign_in_failed": (e, d) => {
    const reason = SIGN_IN_FAILURES[str(d.reason) ?? ""];
    return `A sign-in as ${e.targetLabel ?? e.actor.name} failed${reason ? ` (${reason})` : ""}`;
  },
  "setup.completed": (e) => `${A(e)} completed setup and became the first Global Admin`,
  "user.created": (e, d) => {
    const who = subject(e, "person");
    let s = `${A(e)} added ${partyName(who)}${who.name !== e.targetLabel && e.targetLabel ? ` (${e.targetLabel})` : ""}`;
    if (d.isOrgAdmin === true) s += " as a Global Admin";
    if (d.apiAccess === false) s += ", without API access";
    if (isMemberships(d.memberships) && d.memberships.length) s += `, with projects ${projectsText(d.memberships)}`;
    return s;
  },
  "user.updated": (e, d) => {
    const name = changedTo(d.name);
    const from = (d.name as { from?: unknown } | undefined)?.from;
    if (typeof name === "string") return `${A(e)} renamed ${typeof from === "string" ? from : partyName(subject(e))} to ${name}`;
    return `${A(e)} changed ${possessive(subject(e))} details`;
  },
  "user.roles_changed": (e, d) => {
    const who = subject(e);
    const said: string[] = [];
    const admin = changedTo(d.isOrgAdmin);
    if (admin === true) said.push(`made ${partyName(who)} a Global Admin`);
    if (admin === false) said.push(`removed ${possessive(who)} Global Admin role`);
    const api = changedTo(d.apiAccess);
    if (api === true) said.push(`gave ${partyName(who)} API access`);
    if (api === false) said.push(`took API access away from ${partyName(who)}`);
    const projects = changedTo(d.memberships);
    if (isMemberships(projects)) said.push(projects.length ? `changed ${possessive(who)} projects to ${projectsText(projects)}` : `removed ${partyName(who)} from every project`);
    const name = changedTo(d.name);
    if (typeof name === "string") said.push(`renamed ${partyName(who)} to ${name}`);
    return `${A(e)} ${said.length ? clauses(said) : `changed ${possessive(who)} roles`}`;
  },
  "user.disabled": (e, d) => `${A(e)} disabled ${partyName(subjectOfKind(e, d))}`,
  "user.enabled": (e, d) => `${A(e)} enabled ${partyName(subjectOfKind(e, d))}`,
  "user.deleted": (e, d) => {
    const keys = num(d.keysDeleted) ?? 0;
    return `${A(e)} deleted ${partyName(subjectOfKind(e, d))}${keys ? ` and ${keys === 1 ? "its key" : `its ${keys} keys`}` : ""}`;
  },
  "user.password_changed": (e) => `${A(e)} changed their password`,
  "user.password_change_failed": (e) => `${A(e)} entered a wrong current password while changing their password`,
  "user.password_reset": (e, d) => {
    const ended = num(d.sessionsEnded) ?? 0;
    return `${A(e)} set a temporary password for ${partyName(subject(e, "person"))}, who must change it at the next sign-in${ended ? `; ${plural(ended, "session")} ended` : ""}`;
  },
  "user.signed_out_everywhere": (e, d) => `${A(e)} signed ${partyName(subject(e, "person"))} out everywhere (${plural(num(d.sessionsEnded) ?? 0, "session")} ended)`,
  "user.signed_out_other_sessions": (e, d) => `${A(e)} signed out of their other sessions (${plural(num(d.sessionsEnded) ?? 0, "session")} ended)`,
  "account.created": (e, d) => {
    const projects = isMemberships(d.memberships) && d.memberships.length ? ` with projects ${projectsText(d.memberships)}` : "";
    return `${A(e)} created ${partyName(subject(e, "api_account"))}${projects}`;
  },
  "key.created": (e, d) => {
    let s = `${A(e)} generated ${keyPhrase(e)}`;
    const days = d.expiresInDays;
    if (typeof days === "number") s += `, expiring in ${plural(days, "day")}`;
    if (days === null) s += ", which never expires";
    if (d.restricted === true) s += ", limited to some projects";
    return s;
  },
  "key.rotated": (e, d) => {
    const stops = str(d.oldKeyStopsAt);
    const rotated = `${A(e)} rotated ${keyPhrase(e)}`;
    if ((num(d.graceSeconds) ?? 0) > 0 && stops) return [`${rotated}; the old key stops working `, { at: stops }];
    return `${rotated}; the old key stopped working at once`;
  },
  "key.revoked": (e, d) => {
    const reason = str(d.reason);
    const why = reason === "made with a revoked key" ? "; it was made with a revoked key" : reason && reason !== "revoked by owner" ? ` (${reason})` : "";
    return `${A(e)} revoked ${keyPhrase(e)}${why}`;
  },
  "key.revealed": (e) => `${A(e)} revealed ${keyPhrase(e)}`,
  "key.regenerated": (e, d) => {
    const old = strings(d.revokedKeyIds)?.length ?? 0;
    const stops = str(d.oldKeyStopsAt);
    const said = `${A(e)} regenerated ${keyPhrase(e)}`;
    if (stops) return [`${said}; the previous key stops working `, { at: stops }];
    return `${said}${old ? `; the previous ${old === 1 ? "key stopped" : `${old} keys stopped`} working` : ""}`;
  },
  "key.edited": (e, d) => {
    const from = (v: unknown) => (v && typeof v === "object" && "from" in v ? (v as { from: unknown }).from : undefined);
    const parts: Sentence = [];
    const name = str(changedTo(d.name));
    const said: string[] = [];
    if (name) said.push(`renamed ${keyPhrase({ ...e, key: e.key ? { ...e.key, name: str(from(d.name)) ?? e.key.name } : e.key, targetLabel: str(from(d.name)) ?? e.targetLabel })} to ${quoted(name)}`);
    else said.push(`edited ${keyPhrase(e)}`);
    if (d.restriction !== undefined) said.push(changedTo(d.restriction) === null ? "it now reaches all the owner’s projects" : "it is now limited to some projects");
    parts.push(`${A(e)} ${said.join("; ")}`);
    if (d.expiresAt !== undefined) {
      const to = str(changedTo(d.expiresAt));
      if (to) parts.push("; it now expires ", { at: to });
      else parts.push("; it now never expires");
    }
    return parts;
  },
  "key_policy.updated": (e, d) => {
    const changes = keyPolicyChanges(d.before, d.after);
    return `${A(e)} changed the key policy${changes.length ? `: ${changes.join("; ")}` : " (nothing different)"}`;
  },
  "key.revoked_by_admin": (e, d) => {
    const kept = d.owner as { id?: unknown; name?: unknown; username?: unknown; kind?: unknown } | undefined;
    const owner: Party | null =
      e.key?.owner ??
      (kept && str(kept.username)
        ? { id: str(kept.id) ?? null, name: (kept.kind === "api_account" ? str(kept.username) : str(kept.name)) ?? "", kind: kept.kind === "api_account" ? "api_account" : "person" }
        : null);
    const name = e.key?.name ?? str(d.name) ?? e.targetLabel ?? "since deleted";
    const masked = str(d.key);
    const of = num(d.of) ?? 0;
    const together = d.scope === "owner" ? ", revoking all of their keys" : d.scope === "selection" && of > 1 ? `, with ${plural(of - 1, "other key")} selected` : "";
    const whose = !owner ? "a" : owner.id && owner.id === e.actor.id ? "their own" : possessive(owner);
    return `${A(e)} revoked ${whose} key ${quoted(name)}${masked ? ` (${masked})` : ""} as a Global Admin${together}`;
  },
  "keys.exported": (e, d) => {
    const filters = d.filters && typeof d.filters === "object" ? Object.entries(d.filters as Record<string, unknown>).filter(([, v]) => typeof v === "string") : [];
    const n = num(d.count) ?? 0;
    return `${A(e)} exported the key inventory as CSV (${plural(n, "key")}${filters.length ? `; filters ${filters.map(([k, v]) => `${k}=${String(v)}`).join(", ")}` : ""})`;
  },
  "project.created": (e) => `${A(e)} created project ${quoted(e.targetLabel ?? "")}`,
  "project.renamed": (e, d) => `${A(e)} renamed project ${quoted(str(d.from) ?? "")} to ${quoted(str(d.to) ?? e.targetLabel ?? "")}`,
  "project.deleted": (e, d) => {
    const members = num(d.removedMembers) ?? 0;
    return `${A(e)} deleted project ${quoted(e.targetLabel ?? "")}${members ? ` and removed its ${plural(members, "member")}` : ""}`;
  },
  "role.created": (e, d) => {
    const permissions = strings(d.permissions);
    return `${A(e)} created role ${quoted(e.targetLabel ?? "")}${permissions?.length ? ` with ${permissions.join(", ")}` : ""}`;
  },
  "role.updated": (e, d) => {
    const name = e.targetLabel ?? "";
    const said: string[] = [];
    const from = (d.name as { from?: unknown } | undefined)?.from;
    if (typeof from === "string") said.push(`renamed role ${quoted(from)} to ${quoted(name)}`);
    const permissions = strings(changedTo(d.permissions));
    if (permissions) said.push(`${said.length ? "changed its" : `changed role ${quoted(name)}’s`} permissions to ${permissions.join(", ") || "none"}`);
    if (d.description !== undefined) said.push(`${said.length ? "changed its" : `changed role ${quoted(name)}’s`} description`);
    return `${A(e)} ${said.length ? clauses(said) : `changed role ${quoted(name)}`}`;
  },
  "role.deleted": (e) => `${A(e)} deleted role ${quoted(e.targetLabel ?? "")}`,
};

/** The event as a sentence; an action this version does not know still reads as who did what. */
export function describeAuditEvent(e: NamedEvent): Sentence {
  const describe = (SENTENCES as Record<string, Describe>)[e.action];
  const said = describe ? describe(e, e.details ?? {}) : `${A(e)}: ${actionLabel(e.action)}${e.targetLabel ? ` (${e.targetLabel})` : ""}`;
  const parts = typeof said === "string" ? [said] : said;
  if (!e.viaKey) return parts;
  return [...parts, e.viaKey.name === null ? ", using an API key since deleted" : `, using API key ${quoted(e.viaKey.name)}`];
}

/** The sentence as plain text, times as ISO (for tests and logs). */
export function sentenceText(sentence: Sentence): string {
  return sentence.map((p) => (typeof p === "string" ? p : p.at)).join("");
}
