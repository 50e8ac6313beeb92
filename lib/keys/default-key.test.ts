import { and, eq, isNull, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { apiKeys } from "@/lib/db/schema";
import { ConflictError } from "@/lib/errors";
import { withFreshDatabase } from "@/lib/test/db";
import { makeUser } from "@/lib/test/fixtures";
import { ALREADY_HAS_KEY, createDefaultKey, createPersonalKey, revokeKey } from "./personal";

const { kind } = withFreshDatabase();

const ROUNDS = 8;
const CLICKS = 100;

const liveKeysOf = async (ownerId: string) => {
  const db = await getDb();
  return db
    .select({ name: apiKeys.name })
    .from(apiKeys)
    .where(and(eq(apiKeys.ownerId, ownerId), isNull(apiKeys.revokedAt), isNull(apiKeys.replacedById), sql`(${apiKeys.expiresAt} is null or ${apiKeys.expiresAt} > now())`));
};

describe("the profile's one-click first key", () => {
  it(`makes exactly one key for ${CLICKS} clicks at once; the others are told where their key is`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const owner = await makeUser();
      const results = await Promise.allSettled(Array.from({ length: CLICKS }, () => createDefaultKey(owner)));
      const made = results.filter((r) => r.status === "fulfilled");
      expect(made, `round ${round} on ${kind()}`).toHaveLength(1);
      for (const r of results) {
        if (r.status === "rejected") {
          expect(r.reason).toBeInstanceOf(ConflictError);
          expect((r.reason as Error).message).toBe(ALREADY_HAS_KEY);
        }
      }
      expect(await liveKeysOf(owner.id)).toEqual([{ name: "Default" }]);
    }
  });

  it("is refused while any key of mine works, and offered again once none does", async () => {
    const owner = await makeUser();
    const other = await createPersonalKey(owner, { name: "CI", expiresInDays: 30, restriction: null });
    await expect(createDefaultKey(owner)).rejects.toThrow(ALREADY_HAS_KEY);
    await revokeKey(owner, other.key.id);

    const first = await createDefaultKey(owner);
    expect(first.key).toMatchObject({ name: "Default", expiresInDays: 90, restriction: null, status: "active" });
    await expect(createDefaultKey(owner)).rejects.toThrow(ALREADY_HAS_KEY);

    // An expired "Default" still holds its name among live rows: the next one is "Default 2".
    const db = await getDb();
    await db.update(apiKeys).set({ expiresAt: sql`now() - interval '1 day'` }).where(eq(apiKeys.id, first.key.id));
    expect((await createDefaultKey(owner)).key.name).toBe("Default 2");
    expect(await liveKeysOf(owner.id)).toEqual([{ name: "Default 2" }]);
  });
});
