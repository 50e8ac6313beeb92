import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { apiKeyUsageDaily } from "@/lib/db/schema";
import { withFreshDatabase } from "@/lib/test/db";
import { makeUser } from "@/lib/test/fixtures";
import { createPersonalKey } from "./personal";
import { getRequestCounts } from "./usage";

withFreshDatabase();

async function usage(keyId: string, daysAgo: number, accepted: number, refused: number) {
  const db = await getDb();
  await db.insert(apiKeyUsageDaily).values({ keyId, day: sql`(now() at time zone 'utc')::date - ${daysAgo}::int`, accepted, refused });
}

describe("getRequestCounts", () => {
  it("sums the last 30 days per key, leaves older days out, and answers zeros for keys without use", async () => {
    const owner = await makeUser();
    const make = (name: string) => createPersonalKey(owner, { name, expiresInDays: 90, restriction: null }).then((c) => c.key.id);
    const [busy, idle, other] = [await make("Busy"), await make("Idle"), await make("Other")];
    await usage(busy, 0, 10, 1);
    await usage(busy, 5, 100, 0);
    await usage(busy, 29, 1000, 20);
    await usage(busy, 30, 5000, 500); // the 31st day back: outside the window
    await usage(other, 1, 7, 7);

    const counts = await getRequestCounts([busy, idle]);
    expect(counts.get(busy)).toEqual({ accepted: 1110, refused: 21 });
    expect(counts.get(idle)).toEqual({ accepted: 0, refused: 0 });
    expect(counts.has(other)).toBe(false);
    expect((await getRequestCounts([other])).get(other)).toEqual({ accepted: 7, refused: 7 });
  });

  it("asks nothing of the database for no keys", async () => {
    expect((await getRequestCounts([])).size).toBe(0);
  });
});
