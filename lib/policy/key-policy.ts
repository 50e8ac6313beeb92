import { and, eq, gt, isNull, or, type SQL, sql } from "drizzle-orm";
import { apiKeys } from "@/lib/db/schema";
import { PolicyLimitError } from "@/lib/errors";

/**
 * The organization's key policy (Global Administration > Key policy): how
 * long keys may live and how long a rotation may keep the old key working.
 * Pure predicates over a policy value; lib/keys reads the policy in the
 * transaction that makes or changes a key and asks here. A changed policy
 * never changes existing keys: `exceedsPolicy` / `exceedsPolicySql` find
 * those that live longer than it allows, so that an admin decides.
 */
export type KeyPolicy = {
  /** Personal keys: the longest lifetime in days, or null for no limit. */
  maxLifetimeDays: number | null;
  /** Whether "No expiration" may be chosen (never with a maximum lifetime). */
  allowNoExpiry: boolean;
  /** The expiry offered first (the Generate dialog's default, the REST default). */
  defaultExpiryDays: number;
  /** The longest rotation (and regeneration) grace period, in seconds; 0 = the old key stops at once. */
  maxGraceSeconds: number;
  /** API-account keys: the longest lifetime in days, or null for no limit (they may then never expire). */
  maxAccountKeyLifetimeDays: number | null;
};

export type KeyKindOf = "pat" | "sa";

/** The longest lifetime a new key of this kind may get, in days (null: no limit). */
export function maxLifetimeOf(p: KeyPolicy, kind: KeyKindOf): number | null {
  return kind === "sa" ? p.maxAccountKeyLifetimeDays : p.maxLifetimeDays;
}

/** Whether a key of this kind may be made (or edited) to never expire. */
export function mayNeverExpire(p: KeyPolicy, kind: KeyKindOf): boolean {
  return maxLifetimeOf(p, kind) === null && (kind === "sa" || p.allowNoExpiry);
}

/** The expiry to offer first: the policy's default, within its own maximum. */
export function defaultExpiryOf(p: KeyPolicy, kind: KeyKindOf = "pat"): number | null {
  const max = maxLifetimeOf(p, kind);
  if (kind === "sa") return max;
  return max === null ? p.defaultExpiryDays : Math.min(p.defaultExpiryDays, max);
}

/** "1 hour", "24 hours", "7 days": a grace period in words. */
export function durationWords(seconds: number): string {
  if (seconds % 86_400 === 0 && seconds >= 2 * 86_400) return `${seconds / 86_400} days`;
  if (seconds % 3600 === 0) return seconds === 3600 ? "1 hour" : `${seconds / 3600} hours`;
  if (seconds % 60 === 0) return `${seconds / 60} minutes`;
  return `${seconds} seconds`;
}

const keysWord = (kind: KeyKindOf) => (kind === "sa" ? "API-account keys" : "personal keys");

export type PolicyRefusal = { field: string; message: string; limit: PolicyLimitError["limit"] };

/** Why this lifetime (days, null = no expiration) is not allowed for a new key of this kind, or null. */
export function expiryRefusal(p: KeyPolicy, kind: KeyKindOf, days: number | null, field = "expiresInDays"): PolicyRefusal | null {
  const max = maxLifetimeOf(p, kind);
  const limitName = kind === "sa" ? "maxAccountKeyLifetimeDays" : "maxLifetimeDays";
  if (days === null) {
    if (max !== null) return { field, message: `The key policy does not allow ${keysWord(kind)} without an expiration: at most ${max} days.`, limit: { name: limitName, value: max } };
    if (!mayNeverExpire(p, kind)) return { field, message: "The key policy does not allow keys without an expiration. Choose a number of days.", limit: { name: "allowNoExpiry", value: false } };
    return null;
  }
  if (max !== null && days > max) return { field, message: `The key policy allows ${keysWord(kind)} of at most ${max} days.`, limit: { name: limitName, value: max } };
  return null;
}

/** Why this grace period is longer than the policy allows, or null. */
export function graceRefusal(p: KeyPolicy, seconds: number, field = "grace"): PolicyRefusal | null {
  if (seconds <= p.maxGraceSeconds) return null;
  const allowed = p.maxGraceSeconds === 0 ? "no grace period: the old key stops working at once" : `a grace period of at most ${durationWords(p.maxGraceSeconds)}`;
  return { field, message: `The key policy allows ${allowed}.`, limit: { name: "maxGraceSeconds", value: p.maxGraceSeconds } };
}

function raise(r: PolicyRefusal | null): void {
  if (r) throw new PolicyLimitError(r.field, r.message, r.limit);
}

/** The same predicates, as the 422 every door answers (it names the limit). */
export function assertExpiryWithinPolicy(p: KeyPolicy, kind: KeyKindOf, days: number | null, field?: string): void {
  raise(expiryRefusal(p, kind, days, field));
}
export function assertGraceWithinPolicy(p: KeyPolicy, seconds: number, field?: string): void {
  raise(graceRefusal(p, seconds, field));
}

/** Which of these lifetimes a dialog may offer. */
export function allowedLifetimes<T extends number>(p: KeyPolicy, kind: KeyKindOf, days: readonly T[]): T[] {
  return days.filter((d) => expiryRefusal(p, kind, d) === null);
}

/** A sentence for the dialogs: why some choices are missing, or null when the policy limits nothing. */
export function policyNotice(p: KeyPolicy, kind: KeyKindOf = "pat"): string | null {
  const max = maxLifetimeOf(p, kind);
  if (max !== null) return `Your organization’s key policy allows ${keysWord(kind)} of at most ${max} days.`;
  if (!mayNeverExpire(p, kind)) return "Your organization’s key policy requires an expiration.";
  return null;
}

// ---- Keys that live longer than the policy allows (for the inventory's "exceeds the policy") ----

/**
 * A key whose lifetime from now is longer than a new key of its kind could
 * get: no expiration where one is required, or an expiry past now + the
 * maximum lifetime. Whether the key still works at all is lib/keys/lifecycle's
 * (the inventory asks for working keys that exceed the policy).
 */
export function exceedsPolicy(p: KeyPolicy, k: { kind: KeyKindOf; expiresAt: Date | null }, now = Date.now()): boolean {
  if (k.expiresAt === null) return !mayNeverExpire(p, k.kind);
  const max = maxLifetimeOf(p, k.kind);
  return max !== null && k.expiresAt.getTime() > now + max * 86_400_000;
}

/** The SQL twin of exceedsPolicy, over api_keys. */
export function exceedsPolicySql(p: KeyPolicy): SQL {
  const ofKind = (kind: KeyKindOf): SQL => {
    const max = maxLifetimeOf(p, kind);
    const conditions: SQL[] = [];
    if (!mayNeverExpire(p, kind)) conditions.push(isNull(apiKeys.expiresAt));
    if (max !== null) conditions.push(gt(apiKeys.expiresAt, sql`now() + make_interval(days => ${max})`));
    return conditions.length ? and(eq(apiKeys.kind, kind), or(...conditions))! : sql`false`;
  };
  return or(ofKind("pat"), ofKind("sa"))!;
}
