import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { apiKeys } from "@/lib/db/schema";
import { PolicyLimitError } from "@/lib/errors";
import { withFreshDatabase } from "@/lib/test/db";
import { builtInRole, makeProject, makeUser, TEST_CONTEXT } from "@/lib/test/fixtures";
import { createApiAccount, getUser } from "@/lib/users/admin";
import { regenerateAccountKey } from "./accounts";
import { DEFAULT_KEY_POLICY, keyPolicyJson, updateKeyPolicy } from "./key-policy";
import { GRACE_PERIODS } from "./lifecycle";
import { verifyKey } from "./verify";

withFreshDatabase();
const DAY = 86_400_000;
let n = 0;

async function account(admin: Awaited<ReturnType<typeof makeUser>>, expiresInDays?: number | null) {
  const project = await makeProject(`Svc ${++n}`);
  return createApiAccount(admin, { username: `svc-${n}-${Date.now()}`, memberships: [{ projectId: project.id, roleId: (await builtInRole("Viewer")).id }], expiresInDays });
}
const keysOf = async (ownerId: string) => (await getDb()).select().from(apiKeys).where(eq(apiKeys.ownerId, ownerId));

afterEach(async () => updateKeyPolicy(await makeUser({ isOrgAdmin: true }), keyPolicyJson(DEFAULT_KEY_POLICY)));

describe("API-account keys", () => {
  it("never expire unless asked; an expiry may be given at creation, within the key policy", async () => {
    const admin = await makeUser({ isOrgAdmin: true });
    const forever = await account(admin);
    expect((await keysOf(forever.id))[0]!.expiresAt).toBeNull();
    const yearly = await account(admin, 365);
    expect(Math.abs((await keysOf(yearly.id))[0]!.expiresAt!.getTime() - (Date.now() + 365 * DAY))).toBeLessThan(60_000);

    await updateKeyPolicy(admin, { maxAccountKeyLifetimeDays: 180 });
    const error = await account(admin, 365).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyLimitError);
    expect((error as PolicyLimitError).limit).toEqual({ name: "maxAccountKeyLifetimeDays", value: 180 });
    await expect(account(admin, null)).rejects.toBeInstanceOf(PolicyLimitError);
    // Left out: the policy's maximum.
    const capped = await account(admin);
    expect((await keysOf(capped.id))[0]!.expiresInDays).toBe(180);
  });

  it("regenerate with a grace period: the old key works until then (shown on the account), the new one at once", async () => {
    const admin = await makeUser({ isOrgAdmin: true });
    const created = await account(admin, 30);
    const { secret, oldKeyStopsAt } = await regenerateAccountKey(admin, created.id, { graceSeconds: GRACE_PERIODS["24h"] });
    expect(Math.abs(oldKeyStopsAt!.getTime() - (Date.now() + DAY))).toBeLessThan(60_000);
    expect(await verifyKey(created.secret, TEST_CONTEXT)).toMatchObject({ valid: true, key: { expiresAt: oldKeyStopsAt } });
    expect(await verifyKey(secret, TEST_CONTEXT)).toMatchObject({ valid: true });
    const row = await getUser(admin, created.id);
    expect(row.previousKey).toMatchObject({ stopsAt: oldKeyStopsAt, start: created.secret.slice(0, 10) });
    // The new key lives as long as the old one did.
    expect(row.key!.expiresInDays).toBe(30);

    // Regenerating again at once retires both.
    const third = await regenerateAccountKey(admin, created.id, { expiresInDays: 7 });
    expect(third.oldKeyStopsAt).toBeNull();
    expect(await verifyKey(created.secret, TEST_CONTEXT)).toMatchObject({ valid: false });
    expect(await verifyKey(secret, TEST_CONTEXT)).toMatchObject({ valid: false });
    expect((await getUser(admin, created.id)).key!.expiresInDays).toBe(7);
  });

  it("the grace never outlives the old key and stays within the policy", async () => {
    const admin = await makeUser({ isOrgAdmin: true });
    const created = await account(admin, 1);
    const [old] = await keysOf(created.id);
    const { oldKeyStopsAt } = await regenerateAccountKey(admin, created.id, { graceSeconds: GRACE_PERIODS["7d"] });
    expect(oldKeyStopsAt!.getTime()).toBe(old!.expiresAt!.getTime());

    await updateKeyPolicy(admin, { maxGrace: "1h" });
    const other = await account(admin);
    const error = await regenerateAccountKey(admin, other.id, { graceSeconds: GRACE_PERIODS["24h"] }).catch((e: unknown) => e);
    expect((error as PolicyLimitError).limit).toEqual({ name: "maxGraceSeconds", value: 3600 });
    expect(await verifyKey(other.secret, TEST_CONTEXT)).toMatchObject({ valid: true });
    expect(await keysOf(other.id)).toHaveLength(1);
  });
});
