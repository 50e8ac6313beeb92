import { and, eq, inArray } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { apiKeys, auditEvents } from "@/lib/db/schema";
import { ForbiddenError, PolicyLimitError, ValidationError } from "@/lib/errors";
import { exceedsPolicy, exceedsPolicySql } from "@/lib/policy/key-policy";
import { withFreshDatabase } from "@/lib/test/db";
import { makeUser } from "@/lib/test/fixtures";
import { DEFAULT_KEY_POLICY, getKeyPolicy, keyPolicyJson, updateKeyPolicy } from "./key-policy";
import { GRACE_PERIODS } from "./lifecycle";
import { createDefaultKey, createPersonalKey, rotateKey } from "./personal";

withFreshDatabase();

const admin = () => makeUser({ isOrgAdmin: true });

afterEach(async () => {
  const a = await admin();
  await updateKeyPolicy(a, { ...keyPolicyJson(DEFAULT_KEY_POLICY) });
});

async function refusal(p: Promise<unknown>): Promise<PolicyLimitError> {
  const error = await p.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(PolicyLimitError);
  return error as PolicyLimitError;
}

describe("the key policy, enforced in lib/", () => {
  it("starts with today's behaviour: no limits, 90 days by default, grace up to 7 days", async () => {
    expect(await getKeyPolicy()).toEqual(DEFAULT_KEY_POLICY);
    const owner = await makeUser();
    const { key } = await createPersonalKey(owner, { name: "Default expiry", restriction: null });
    expect(key.expiresInDays).toBe(90);
    expect((await createPersonalKey(owner, { name: "Forever", expiresInDays: null, restriction: null })).key.expiresAt).toBeNull();
  });

  it("refuses a lifetime past the maximum and no expiration, naming the limit; nothing is made", async () => {
    await updateKeyPolicy(await admin(), { maxLifetimeDays: 30, defaultExpiryDays: 14 });
    const owner = await makeUser();
    const long = await refusal(createPersonalKey(owner, { name: "Long", expiresInDays: 31, restriction: null }));
    expect(long.status).toBe(422);
    expect(long.limit).toEqual({ name: "maxLifetimeDays", value: 30 });
    expect(long.fieldErrors).toEqual({ expiresInDays: ["The key policy allows personal keys of at most 30 days."] });
    expect((await refusal(createPersonalKey(owner, { name: "Never", expiresInDays: null, restriction: null }))).limit.name).toBe("maxLifetimeDays");
    const db = await getDb();
    expect(await db.select().from(apiKeys).where(eq(apiKeys.ownerId, owner.id))).toHaveLength(0);
    // The policy's default (and the profile's one-click key) follow it.
    expect((await createPersonalKey(owner, { name: "Default", restriction: null })).key.expiresInDays).toBe(14);
    expect((await createPersonalKey(owner, { name: "Thirty", expiresInDays: 30, restriction: null })).key.expiresInDays).toBe(30);
    const other = await makeUser();
    expect((await createDefaultKey(other)).key.expiresInDays).toBe(14);
  });

  it("refuses “No expiration” when the policy does not allow it", async () => {
    await updateKeyPolicy(await admin(), { allowNoExpiry: false });
    const owner = await makeUser();
    expect((await refusal(createPersonalKey(owner, { name: "Never", expiresInDays: null, restriction: null }))).limit).toEqual({ name: "allowNoExpiry", value: false });
    expect((await createPersonalKey(owner, { name: "Long", expiresInDays: 3650, restriction: null })).key.expiresInDays).toBe(3650);
  });

  it("refuses a rotation grace period longer than allowed, and the old key keeps working", async () => {
    const owner = await makeUser();
    const { key } = await createPersonalKey(owner, { name: "Rotated", expiresInDays: 30, restriction: null });
    await updateKeyPolicy(await admin(), { maxGrace: "1h" });
    const error = await refusal(rotateKey(owner, key.id, GRACE_PERIODS["24h"]));
    expect(error.limit).toEqual({ name: "maxGraceSeconds", value: 3600 });
    const db = await getDb();
    const [row] = await db.select({ replacedById: apiKeys.replacedById }).from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row!.replacedById).toBeNull();
    expect((await rotateKey(owner, key.id, GRACE_PERIODS["1h"])).key.name).toBe("Rotated");
  });

  it("a change is audited with before and after, never touches existing keys, and is refused to others", async () => {
    const owner = await makeUser();
    const { key } = await createPersonalKey(owner, { name: "Old forever", expiresInDays: null, restriction: null });
    const a = await admin();
    const after = await updateKeyPolicy(a, { maxLifetimeDays: 60, defaultExpiryDays: 30, maxGrace: "24h" });
    expect(after).toMatchObject({ maxLifetimeDays: 60, allowNoExpiry: false, defaultExpiryDays: 30, maxGraceSeconds: 86_400 });
    const db = await getDb();
    const [event] = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "key_policy.updated"), eq(auditEvents.actorId, a.id)));
    expect(event!.details).toEqual({
      before: keyPolicyJson(DEFAULT_KEY_POLICY),
      after: { maxLifetimeDays: 60, allowNoExpiry: false, defaultExpiryDays: 30, maxGrace: "24h", maxAccountKeyLifetimeDays: null },
    });
    const [row] = await db.select({ expiresAt: apiKeys.expiresAt, revokedAt: apiKeys.revokedAt }).from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row).toEqual({ expiresAt: null, revokedAt: null });

    const before = await getKeyPolicy();
    await expect(updateKeyPolicy(owner, { maxLifetimeDays: 1 })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await getKeyPolicy()).toEqual(before);
  });

  it("refuses a policy that contradicts itself", async () => {
    const a = await admin();
    await expect(updateKeyPolicy(a, { maxLifetimeDays: 30, defaultExpiryDays: 90 })).rejects.toMatchObject({ fieldErrors: { defaultExpiryDays: [expect.stringContaining("30 days")] } });
    await expect(updateKeyPolicy(a, { maxLifetimeDays: 30, defaultExpiryDays: 7, allowNoExpiry: true })).rejects.toBeInstanceOf(ValidationError);
    expect(await getKeyPolicy()).toEqual(DEFAULT_KEY_POLICY);
  });

  it("exceedsPolicySql finds exactly the keys exceedsPolicy finds", async () => {
    const owner = await makeUser();
    const made = await Promise.all(
      [null, 10, 45, 365].map((days, i) => createPersonalKey(owner, { name: `K${i}`, expiresInDays: days, restriction: null })),
    );
    const ids = made.map((m) => m.key.id);
    const policy = { ...DEFAULT_KEY_POLICY, maxLifetimeDays: 30, allowNoExpiry: false };
    const db = await getDb();
    const found = await db.select({ id: apiKeys.id }).from(apiKeys).where(and(inArray(apiKeys.id, ids), exceedsPolicySql(policy)));
    const rows = await db.select().from(apiKeys).where(inArray(apiKeys.id, ids));
    const expected = rows.filter((r) => exceedsPolicy(policy, r)).map((r) => r.id);
    expect(found.map((f) => f.id).sort()).toEqual(expected.sort());
    expect(expected).toHaveLength(3);
  });

  it("rotation: the new key lives as long as the old one unless asked, within the policy; the grace never outlives the old key", async () => {
    const owner = await makeUser();
    const { key } = await createPersonalKey(owner, { name: "Short", expiresInDays: 1, restriction: null });
    // 7 days of grace asked, but the old key expires in 1 day: it stops then.
    const rotated = await rotateKey(owner, key.id, GRACE_PERIODS["7d"]);
    expect(rotated.oldKeyStopsAt.getTime()).toBe(key.expiresAt!.getTime());
    expect(rotated.key.expiresInDays).toBe(1);
    const again = await rotateKey(owner, rotated.key.id, 0, { expiresInDays: 30 });
    expect(again.key.expiresInDays).toBe(30);

    const { key: forever } = await createPersonalKey(owner, { name: "Forever", expiresInDays: null, restriction: null });
    await updateKeyPolicy(await admin(), { maxLifetimeDays: 60, defaultExpiryDays: 30 });
    // Its own lifetime (none) is past the policy now: the rotation must choose one.
    expect((await refusal(rotateKey(owner, forever.id, 0))).limit).toEqual({ name: "maxLifetimeDays", value: 60 });
    expect((await refusal(rotateKey(owner, forever.id, 0, { expiresInDays: 61 }))).limit.name).toBe("maxLifetimeDays");
    expect((await rotateKey(owner, forever.id, 0, { expiresInDays: 60 })).key.expiresInDays).toBe(60);
  });
});
