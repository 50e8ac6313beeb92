import { and, gt, isNotNull, isNull, lte, not, or, type SQL, sql } from "drizzle-orm";
import { apiKeys } from "@/lib/db/schema";

/**
 * A key's life, once: its states and their SQL twin, "expiring soon", the
 * rotation grace periods with their labels, and the bounds of its lifetime.
 * Forms, REST schemas, the CLI, the dashboard and verification import these;
 * none of them spells a number or a label of its own. Pure: no database
 * access, no secrets (the CLI imports it too).
 */
export type KeyStatus = "active" | "expiring" | "rotating" | "expired" | "revoked";

export const KEY_STATUSES = ["active", "expiring", "rotating", "expired", "revoked"] as const satisfies readonly KeyStatus[];

export const STATUS_LABELS: Record<KeyStatus, string> = {
  active: "Active",
  expiring: "Expires soon",
  rotating: "Being replaced",
  expired: "Expired",
  revoked: "Revoked",
};

/** One window for "expiring soon", wherever it is shown or counted. */
export const EXPIRING_SOON_DAYS = 7;
const EXPIRING_SOON_MS = EXPIRING_SOON_DAYS * 86_400_000;

/** Lifetime of a key in days. */
export const MIN_EXPIRY_DAYS = 1;
export const MAX_EXPIRY_DAYS = 3650;
export const DEFAULT_EXPIRY_DAYS = 90;
export const EXPIRY_PRESETS = [7, 30, 90, 180, 365] as const;
export const EXPIRY_BOUNDS_MESSAGE = `Enter between ${MIN_EXPIRY_DAYS} and ${MAX_EXPIRY_DAYS} days.`;

/** When the old key stops working after a rotation: seconds, and the words for them. */
export const GRACE_PERIODS = { immediately: 0, "1h": 3600, "24h": 86_400, "7d": 604_800 } as const;
export type GracePeriod = keyof typeof GRACE_PERIODS;
export const GRACE_CHOICES = Object.keys(GRACE_PERIODS) as [GracePeriod, ...GracePeriod[]];
export const GRACE_LABELS: Record<GracePeriod, string> = {
  immediately: "Immediately",
  "1h": "In 1 hour",
  "24h": "In 24 hours",
  "7d": "In 7 days",
};

/** The columns every judgement of a key needs. */
export type KeyTimes = { revokedAt: Date | null; replacedById: string | null; graceExpiresAt: Date | null; expiresAt: Date | null };

/** Why a key does not work (by its own record: the owner is judged elsewhere), or null while it does. */
export function keyRefusal(k: KeyTimes, now: number): { code: "revoked" | "expired"; detail: string } | null {
  if (k.revokedAt) return { code: "revoked", detail: "This key has been revoked." };
  if (k.replacedById && (!k.graceExpiresAt || k.graceExpiresAt.getTime() <= now)) {
    return { code: "revoked", detail: "This key was rotated and replaced by a new key." };
  }
  if (k.expiresAt && k.expiresAt.getTime() <= now) return { code: "expired", detail: `This key expired at ${k.expiresAt.toISOString()}.` };
  return null;
}

/** A key in its rotation grace period: still accepted until then, never again afterwards. */
export function isBeingReplaced(k: Pick<KeyTimes, "replacedById" | "revokedAt">): boolean {
  return k.replacedById !== null && k.revokedAt === null;
}

/** When the key stops working by itself: its grace period's end while it is being replaced, else its expiry. */
export function effectiveExpiry(k: KeyTimes): Date | null {
  if (k.replacedById && k.graceExpiresAt && (!k.expiresAt || k.graceExpiresAt < k.expiresAt)) return k.graceExpiresAt;
  return k.expiresAt;
}

export function keyStatus(k: KeyTimes, now = Date.now()): KeyStatus {
  const refusal = keyRefusal(k, now);
  if (refusal) return refusal.code;
  if (k.replacedById) return "rotating";
  if (k.expiresAt && k.expiresAt.getTime() - now <= EXPIRING_SOON_MS) return "expiring";
  return "active";
}

/** A key that works and is not being replaced ("active" or "expiring"). */
export function isLive(status: KeyStatus): boolean {
  return status === "active" || status === "expiring";
}

// ---- The SQL twin: the same states, for queries over many keys ---------------------------------

/** Accepted right now by its own record: not revoked, not expired, not past a rotation's grace period. */
export const workingKeySql = (): SQL =>
  and(
    isNull(apiKeys.revokedAt),
    or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, sql`now()`)),
    or(isNull(apiKeys.replacedById), gt(apiKeys.graceExpiresAt, sql`now()`)),
  )!;

/** Live: working and not being replaced (what "Active keys" counts). */
export const liveKeySql = (): SQL => and(workingKeySql(), isNull(apiKeys.replacedById))!;

/** Live and within EXPIRING_SOON_DAYS of its expiry. */
export const expiringSoonSql = (): SQL =>
  and(liveKeySql(), lte(apiKeys.expiresAt, sql`now() + make_interval(days => ${EXPIRING_SOON_DAYS})`))!;

/** The grace choices a rotation may offer under a longest grace period (the key policy's). */
export function graceChoicesWithin(maxGraceSeconds: number): { value: GracePeriod; label: string }[] {
  return GRACE_CHOICES.filter((g) => GRACE_PERIODS[g] <= maxGraceSeconds).map((value) => ({ value, label: GRACE_LABELS[value] }));
}

/** When a key rotated now with this grace stops working: the grace period's end, never later than its own expiry. */
export function cutOffAfter(grace: GracePeriod, ownExpiresAt: Date | null, now: number): Date {
  const end = now + GRACE_PERIODS[grace] * 1000;
  return new Date(ownExpiresAt && ownExpiresAt.getTime() < end ? ownExpiresAt.getTime() : end);
}
// ---- The key inventory's windows and the SQL twin of keyStatus ----------------------------------

/** "Expiring within 7 / 30 days" in Global Administration > API Keys (the first is "expiring soon"). */
export const EXPIRING_WITHIN_DAYS = [EXPIRING_SOON_DAYS, 30] as const;
/** How long Settings > API Keys tells its owner that an administrator revoked one of their keys. */
export const ADMIN_REVOCATION_NOTICE_DAYS = 30;

export function recentlyRevokedByAdmin(k: { revokedByAdmin: boolean; revokedAt: Date | null }, now = Date.now()): boolean {
  return k.revokedByAdmin && k.revokedAt !== null && now - k.revokedAt.getTime() < ADMIN_REVOCATION_NOTICE_DAYS * 86_400_000;
}
/** "Unused for 30 / 90 days": no request in that long (a key never used counts from its creation). */
export const UNUSED_FOR_DAYS = [30, 90] as const;

/** Refused because revoked, or replaced and past its grace period (keyRefusal's "revoked"). */
const revokedSql = (): SQL =>
  or(isNotNull(apiKeys.revokedAt), and(isNotNull(apiKeys.replacedById), or(isNull(apiKeys.graceExpiresAt), lte(apiKeys.graceExpiresAt, sql`now()`))))!;

/** The keys in `status`, exactly as keyStatus() judges one key. */
export function keyStatusSql(status: KeyStatus): SQL {
  switch (status) {
    case "revoked":
      return revokedSql();
    case "expired":
      return and(not(revokedSql()), lte(apiKeys.expiresAt, sql`now()`))!;
    case "rotating":
      return and(workingKeySql(), isNotNull(apiKeys.replacedById))!;
    case "expiring":
      return expiringSoonSql();
    case "active":
      return and(liveKeySql(), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, sql`now() + make_interval(days => ${EXPIRING_SOON_DAYS})`)))!;
  }
}

/** Sorts keys by status in KEY_STATUSES order (active first, revoked last). */
export const keyStatusRankSql = (): SQL =>
  sql`case when ${revokedSql()} then 4 when ${apiKeys.expiresAt} <= now() then 3 when ${apiKeys.replacedById} is not null then 2 when ${apiKeys.expiresAt} <= now() + make_interval(days => ${EXPIRING_SOON_DAYS}) then 1 else 0 end`;

/** Live and ending within `days`. */
export const expiringWithinSql = (days: number): SQL =>
  and(liveKeySql(), lte(apiKeys.expiresAt, sql`now() + make_interval(days => ${days})`))!;

/** No request for `days` (a key never used: made more than `days` ago). */
export const unusedForSql = (days: number): SQL =>
  sql`coalesce(${apiKeys.lastUsedAt}, ${apiKeys.createdAt}) < now() - make_interval(days => ${days})`;
