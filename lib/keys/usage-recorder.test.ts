import { eq, sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { databaseKind, getDb } from "@/lib/db/client";
import { apiKeys, apiKeyUsageDaily, users } from "@/lib/db/schema";
import { getApiRequestsPerDay } from "@/lib/dashboard/api-requests";
import { withFreshDatabase } from "@/lib/test/db";
import { makeUser } from "@/lib/test/fixtures";
import { createPersonalKey } from "./personal";
import { CHUNK, PGLITE_CHUNK, usageRecorder } from "./usage-recorder";

withFreshDatabase();

const newKey = async (owner: Awaited<ReturnType<typeof makeUser>>, name: string) =>
  (await createPersonalKey(owner, { name, expiresInDays: 90, restriction: null })).key;

const usageOf = async (keyId: string) => {
  const db = await getDb();
  return db
    .select({ day: apiKeyUsageDaily.day, accepted: apiKeyUsageDaily.accepted, refused: apiKeyUsageDaily.refused })
    .from(apiKeyUsageDaily)
    .where(eq(apiKeyUsageDaily.keyId, keyId))
    .orderBy(apiKeyUsageDaily.day);
};

describe("usage recorder", () => {
  it("writes nothing until a flush, then adds to the day's counts and moves last used", async () => {
    const owner = await makeUser();
    const key = await newKey(owner, "Counted");
    const rec = usageRecorder();
    const t = Date.UTC(2026, 2, 3, 23, 59, 0);
    for (let i = 0; i < 5; i++) rec.record(key.id, "accepted", "10.0.0.1", t + i);
    rec.record(key.id, "refused", "10.0.0.2", t + 10);
    expect(await usageOf(key.id)).toEqual([]);

    await rec.flush();
    expect(await usageOf(key.id)).toEqual([{ day: "2026-03-03", accepted: 5, refused: 1 }]);

    rec.record(key.id, "accepted", "10.0.0.3", t + 120_000); // the next UTC day
    rec.record(key.id, "accepted", "10.0.0.3", t + 20);
    await rec.flush();
    expect(await usageOf(key.id)).toEqual([
      { day: "2026-03-03", accepted: 6, refused: 1 },
      { day: "2026-03-04", accepted: 1, refused: 0 },
    ]);
    const db = await getDb();
    const [row] = await db.select({ at: apiKeys.lastUsedAt, ip: apiKeys.lastUsedIp }).from(apiKeys).where(eq(apiKeys.id, key.id));
    // Refused requests do not count as use; the latest accepted one does.
    expect(row).toEqual({ at: new Date(t + 20), ip: "10.0.0.3" });
    const [person] = await db.select({ lastActiveAt: users.lastActiveAt }).from(users).where(eq(users.id, owner.id));
    expect(person!.lastActiveAt).toEqual(new Date(t + 20));
  });

  it("never moves last used backwards", async () => {
    const owner = await makeUser();
    const key = await newKey(owner, "Monotonic");
    const rec = usageRecorder();
    rec.record(key.id, "accepted", "10.0.0.9", Date.UTC(2026, 2, 5));
    await rec.flush();
    rec.record(key.id, "accepted", "10.0.0.1", Date.UTC(2026, 2, 4));
    await rec.flush();
    const db = await getDb();
    const [row] = await db.select({ ip: apiKeys.lastUsedIp }).from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row!.ip).toBe("10.0.0.9");
  });

  it("skips keys deleted in the meantime instead of failing the whole batch", async () => {
    const owner = await makeUser();
    const kept = await newKey(owner, "Kept");
    const gone = await newKey(owner, "Gone");
    const rec = usageRecorder();
    const t = Date.UTC(2026, 2, 6);
    rec.record(kept.id, "accepted", "10.0.0.1", t);
    rec.record(gone.id, "accepted", "10.0.0.1", t);
    const db = await getDb();
    await db.delete(apiKeys).where(eq(apiKeys.id, gone.id));
    await rec.flush();
    expect(await usageOf(kept.id)).toEqual([{ day: "2026-03-06", accepted: 1, refused: 0 }]);
    expect(rec.pending).toBe(0);
  });

  it("feeds the dashboard: per day, all keys or one owner's, every day present", async () => {
    const a = await makeUser();
    const b = await makeUser();
    const ka = await newKey(a, "A");
    const kb = await newKey(b, "B");
    const now = new Date(Date.UTC(2027, 0, 10, 12));
    const rec = usageRecorder();
    rec.record(ka.id, "accepted", null, now.getTime());
    rec.record(ka.id, "refused", null, now.getTime());
    rec.record(kb.id, "accepted", null, now.getTime() - 86_400_000);
    rec.record(kb.id, "accepted", null, now.getTime() - 40 * 86_400_000); // outside the 30 days
    await rec.flush();

    const all = await getApiRequestsPerDay({ now });
    expect(all).toHaveLength(30);
    expect(all[0]!.day).toBe("2026-12-12");
    expect(all.at(-1)).toEqual({ day: "2027-01-10", accepted: 1, refused: 1 });
    expect(all.at(-2)).toEqual({ day: "2027-01-09", accepted: 1, refused: 0 });
    expect(all.reduce((s, d) => s + d.accepted + d.refused, 0)).toBe(3);

    const mine = await getApiRequestsPerDay({ now, ownerId: b.id });
    expect(mine.at(-1)).toEqual({ day: "2027-01-10", accepted: 0, refused: 0 });
    expect(mine.at(-2)).toEqual({ day: "2027-01-09", accepted: 1, refused: 0 });
  });

  it("on PGlite (this process's own thread) lets waiting requests in between every two statements of a flush", async ({ skip }) => {
    if (databaseKind() !== "pglite") skip("PGlite pass only: Postgres runs statements in its own processes, so a flush never holds this thread");
    const owner = await makeUser();
    const db = await getDb();
    const rows = await db.execute<{ id: string }>(sql`
      insert into api_keys (owner_id, kind, name, hash, start, last_four)
      select ${owner.id}::uuid, 'pat', 'turn ' || g, md5('turn' || g) || md5((-g)::text), 'lk_pat_abcd', 'wxyz'
        from generate_series(1, ${4 * PGLITE_CHUNK}) g
      returning id`);
    const ids = (Array.isArray(rows) ? rows : (rows as unknown as { rows: { id: string }[] }).rows).map((r) => r.id);
    const rec = usageRecorder();
    for (const id of ids) rec.record(id, "accepted", "10.0.0.1");
    // A stand-in for requests: a callback that runs whenever the event loop gets a turn.
    let turns = 0;
    let flushing = true;
    const turn = () => {
      turns++;
      if (flushing) setImmediate(turn);
    };
    setImmediate(turn);
    const seen: number[] = [];
    const execute = db.execute.bind(db);
    const statements = vi.spyOn(db, "execute").mockImplementation((query) => {
      seen.push(turns);
      return execute(query);
    });
    await rec.flush();
    flushing = false;
    statements.mockRestore();
    expect(seen).toHaveLength(3 * 4);
    for (let i = 1; i < seen.length; i++) expect(seen[i], `turns before statement ${i}`).toBeGreaterThan(seen[i - 1]!);
  });

  it("keeps up with 200,000 distinct keys in one interval: all flushed, in a few statements", { timeout: 300_000 }, async () => {
    const owner = await makeUser();
    const db = await getDb();
    const N = 200_000;
    // Seeded in slices, each well inside the database's statement timeout.
    const ids: string[] = [];
    for (let from = 1; from <= N; from += 20_000) {
      const rows = await db.execute<{ id: string }>(sql`
        insert into api_keys (owner_id, kind, name, hash, start, last_four)
        select ${owner.id}::uuid, 'pat', 'fleet ' || g, md5(g::text) || md5((-g)::text), 'lk_pat_abcd', 'wxyz'
          from generate_series(${from}::int, ${Math.min(N, from + 19_999)}::int) g
        returning id`);
      ids.push(...(Array.isArray(rows) ? rows : (rows as unknown as { rows: { id: string }[] }).rows).map((r) => r.id));
    }
    expect(ids).toHaveLength(N);
    const rec = usageRecorder();
    const t = Date.UTC(2026, 4, 1, 12);
    ids.forEach((id, i) => {
      rec.record(id, "accepted", `10.0.${i % 250}.1`, t + (i % 1000));
      if (i % 10 === 0) rec.record(id, "refused", null, t);
    });
    expect(rec.pending).toBe(2 * N);

    const statements = vi.spyOn(db, "execute");
    await rec.flush();
    // Three statements (counts, last used, last active) per chunk of keys: never one per key.
    expect(statements.mock.calls.length).toBe(3 * Math.ceil(N / (databaseKind() === "pglite" ? PGLITE_CHUNK : CHUNK)));
    statements.mockRestore();
    expect(rec.pending).toBe(0);

    const [totals] = await db.execute<{ keys: number; accepted: number; refused: number; used: number }>(sql`
      select (select count(*)::int from api_key_usage_daily where day = '2026-05-01') as keys,
             (select sum(accepted)::int from api_key_usage_daily where day = '2026-05-01') as accepted,
             (select sum(refused)::int from api_key_usage_daily where day = '2026-05-01') as refused,
             (select count(*)::int from api_keys where owner_id = ${owner.id} and last_used_at is not null) as used`).then((r) =>
      Array.isArray(r) ? r : (r as unknown as { rows: { keys: number; accepted: number; refused: number; used: number }[] }).rows,
    );
    expect(totals).toEqual({ keys: N, accepted: N, refused: N / 10, used: N });
  });
});
