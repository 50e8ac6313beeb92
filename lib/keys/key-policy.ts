import "server-only";
import { eq, sql } from "drizzle-orm";
import { actorOf, writeAudit } from "@/lib/audit";
import type { Caller } from "@/lib/caller";
import { getDb, type Tx } from "@/lib/db/client";
import { keyPolicy } from "@/lib/db/schema";
import { ValidationError } from "@/lib/errors";
import { assertGlobalAdmin, assertMayAdministerKeys } from "@/lib/policy";
import type { KeyPolicy } from "@/lib/policy/key-policy";
import { DEFAULT_EXPIRY_DAYS, GRACE_CHOICES, GRACE_PERIODS, type GracePeriod } from "./lifecycle";
import type { KeyPolicyInput } from "./schemas";

/**
 * Where the key policy is kept (one row, made by migration 0009). Every key
 * creation, rotation and edit reads it in its own transaction with FOR SHARE,
 * so a policy change waits for them and they for it: no instance applies a
 * policy that is not the committed one, and nothing has to be invalidated.
 */
/** What holds before an admin sets anything (migration 0009's row): no limits, the usual default, every grace choice. */
export const DEFAULT_KEY_POLICY: KeyPolicy = {
  maxLifetimeDays: null,
  allowNoExpiry: true,
  defaultExpiryDays: DEFAULT_EXPIRY_DAYS,
  maxGraceSeconds: GRACE_PERIODS["7d"],
  maxAccountKeyLifetimeDays: null,
};

const columns = {
  maxLifetimeDays: keyPolicy.maxLifetimeDays,
  allowNoExpiry: keyPolicy.allowNoExpiry,
  defaultExpiryDays: keyPolicy.defaultExpiryDays,
  maxGraceSeconds: keyPolicy.maxGraceSeconds,
  maxAccountKeyLifetimeDays: keyPolicy.maxAccountKeyLifetimeDays,
};

/** The policy, inside a key change's transaction (locked against a concurrent policy change). */
export async function readKeyPolicy(tx: Tx): Promise<KeyPolicy> {
  const [row] = await tx.select(columns).from(keyPolicy).where(eq(keyPolicy.id, true)).for("share").limit(1);
  return row ?? DEFAULT_KEY_POLICY;
}

/** The policy as it is now: for the dialogs (which choices to offer) and the Key policy page. Not a secret. */
export async function getKeyPolicy(): Promise<KeyPolicy> {
  const db = await getDb();
  const [row] = await db.select(columns).from(keyPolicy).where(eq(keyPolicy.id, true)).limit(1);
  return row ?? DEFAULT_KEY_POLICY;
}

/** The policy for the Key policy page and GET /admin/key-policy: Global Admins only. */
export async function getKeyPolicyForAdmin(caller: Caller): Promise<KeyPolicy> {
  assertGlobalAdmin(caller);
  return getKeyPolicy();
}

/** The longest grace choice the policy allows (the stored seconds as one of GRACE_PERIODS). */
export function graceChoiceOf(seconds: number): GracePeriod {
  return [...GRACE_CHOICES].reverse().find((g) => GRACE_PERIODS[g] <= seconds) ?? "immediately";
}

/** The policy as REST and the page show it: the grace limit as a grace choice. */
export function keyPolicyJson(p: KeyPolicy) {
  return {
    maxLifetimeDays: p.maxLifetimeDays,
    allowNoExpiry: p.allowNoExpiry && p.maxLifetimeDays === null,
    defaultExpiryDays: p.defaultExpiryDays,
    maxGrace: graceChoiceOf(p.maxGraceSeconds),
    maxAccountKeyLifetimeDays: p.maxAccountKeyLifetimeDays,
  };
}

/**
 * A Global Admin changes the policy: audited with before and after. Existing
 * keys keep their expiry (the inventory shows those that exceed it).
 */
export async function updateKeyPolicy(caller: Caller, input: KeyPolicyInput): Promise<KeyPolicy> {
  assertMayAdministerKeys(caller);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [locked] = await tx.select(columns).from(keyPolicy).where(eq(keyPolicy.id, true)).for("update").limit(1);
    const before = locked ?? DEFAULT_KEY_POLICY;
    const after: KeyPolicy = {
      maxLifetimeDays: input.maxLifetimeDays === undefined ? before.maxLifetimeDays : input.maxLifetimeDays,
      allowNoExpiry: input.allowNoExpiry ?? before.allowNoExpiry,
      defaultExpiryDays: input.defaultExpiryDays ?? before.defaultExpiryDays,
      maxGraceSeconds: input.maxGrace === undefined ? before.maxGraceSeconds : GRACE_PERIODS[input.maxGrace],
      maxAccountKeyLifetimeDays: input.maxAccountKeyLifetimeDays === undefined ? before.maxAccountKeyLifetimeDays : input.maxAccountKeyLifetimeDays,
    };
    // A maximum lifetime rules out "No expiration" whatever the box said before.
    if (after.maxLifetimeDays !== null && input.allowNoExpiry === undefined) after.allowNoExpiry = false;
    const problems: Record<string, string[]> = {};
    if (after.maxLifetimeDays !== null && after.allowNoExpiry) problems.allowNoExpiry = ["“No expiration” cannot be allowed together with a maximum lifetime."];
    if (after.maxLifetimeDays !== null && after.defaultExpiryDays > after.maxLifetimeDays) {
      problems.defaultExpiryDays = [`The default expiry must be within the maximum lifetime (${after.maxLifetimeDays} days).`];
    }
    if (Object.keys(problems).length) throw new ValidationError(problems);
    await tx
      .insert(keyPolicy)
      .values({ id: true, ...after, updatedById: caller.id })
      .onConflictDoUpdate({ target: keyPolicy.id, set: { ...after, updatedAt: sql`now()`, updatedById: caller.id } });
    await writeAudit(tx, actorOf(caller), {
      action: "key_policy.updated",
      targetType: "key_policy",
      targetLabel: "Key policy",
      details: { before: keyPolicyJson(before), after: keyPolicyJson(after) },
    });
    return after;
  });
}
