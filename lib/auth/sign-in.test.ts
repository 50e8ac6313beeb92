import { and, asc, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { auditEvents } from "@/lib/db/schema";
import { withFreshDatabase } from "@/lib/test/db";
import { makeUser } from "@/lib/test/fixtures";
import { SIGN_IN_MAX_FAILURES, signInWithPassword, type SignInResult } from "./sign-in";

withFreshDatabase();

const PASSWORD = "a-long-password-123"; // the fixtures' password
const BURST = 60;
// Races are run many times: one lucky interleaving proves nothing.
const ITERATIONS = process.env.DATABASE_URL ? 6 : 3;

let address = 0;
const nextIp = () => `10.77.${Math.floor(++address / 250)}.${address % 250}`;

/** Every password check of one burst, in the order the database recorded them (each check writes exactly one event). */
async function checks(where: ReturnType<typeof eq>) {
  const db = await getDb();
  return db
    .select({ id: auditEvents.id, action: auditEvents.action })
    .from(auditEvents)
    .where(and(inArray(auditEvents.action, ["auth.sign_in_failed", "auth.signed_in"]), where))
    .orderBy(asc(auditEvents.id));
}

const locked = (r: SignInResult) => !r.ok && r.reason === "locked";

describe("sign-in lock-out under concurrency", () => {
  it(`${BURST} simultaneous attempts on one account from one address check at most ${SIGN_IN_MAX_FAILURES} wrong passwords; the right one later in the burst is locked out`, async () => {
    for (let i = 0; i < ITERATIONS; i++) {
      const user = await makeUser();
      const ip = nextIp();
      // Attempts 16 and 21 carry the right password, as the hostile test did.
      const passwords = Array.from({ length: BURST }, (_, n) => (n === 15 || n === 20 ? PASSWORD : `wrong-${n}-password`));
      const results = await Promise.all(passwords.map((p) => signInWithPassword(user.email!, p, { ip, userAgent: "burst" })));

      const recorded = await checks(eq(auditEvents.ip, ip));
      const failures = recorded.filter((e) => e.action === "auth.sign_in_failed");
      const successes = recorded.filter((e) => e.action === "auth.signed_in");
      // At most ten wrong passwords checked. An attempt being checked counts as a failure until it is settled,
      // so a right password that got in early may leave nine; one settled before the tenth leaves room for a tenth wrong one.
      expect(failures.length).toBeLessThanOrEqual(SIGN_IN_MAX_FAILURES);
      expect(failures.length).toBeGreaterThanOrEqual(SIGN_IN_MAX_FAILURES - successes.length);
      expect(results.filter((r) => !r.ok && r.reason === "invalid")).toHaveLength(failures.length);
      // A right password gets through only if it was among the first ten checked: never once the lock fell.
      for (const success of successes) expect(recorded.indexOf(success)).toBeLessThan(SIGN_IN_MAX_FAILURES);
      expect(results.filter((r) => r.ok)).toHaveLength(successes.length);
      expect(results.filter(locked)).toHaveLength(BURST - recorded.length);

      // Once the burst is over, the right password is refused as locked while ten wrong ones stand against the address.
      const after = await signInWithPassword(user.email!, PASSWORD, { ip, userAgent: "burst" });
      expect(after).toMatchObject(failures.length === SIGN_IN_MAX_FAILURES ? { ok: false, reason: "locked" } : { ok: true });
    }
  }, 180_000);

  it(`${BURST} simultaneous wrong passwords for one account from ${BURST} addresses: ${SIGN_IN_MAX_FAILURES} checked, then the account is locked everywhere`, async () => {
    for (let i = 0; i < ITERATIONS; i++) {
      const user = await makeUser();
      const results = await Promise.all(
        Array.from({ length: BURST }, (_, n) => signInWithPassword(user.email!, `wrong-${n}-password`, { ip: nextIp(), userAgent: "burst" })),
      );
      expect(await checks(eq(auditEvents.targetLabel, user.email!))).toHaveLength(SIGN_IN_MAX_FAILURES);
      expect(results.filter(locked)).toHaveLength(BURST - SIGN_IN_MAX_FAILURES);
      expect(await signInWithPassword(user.email!, PASSWORD, { ip: nextIp(), userAgent: "burst" })).toMatchObject({ ok: false, reason: "locked" });
    }
  }, 180_000);

  it(`${BURST} simultaneous attempts on ${BURST} accounts from one address: ${SIGN_IN_MAX_FAILURES} checked, then the address is locked for every account`, async () => {
    for (let i = 0; i < ITERATIONS; i++) {
      const ip = nextIp();
      const results = await Promise.all(
        Array.from({ length: BURST }, (_, n) => signInWithPassword(`nobody-${i}-${n}@example.com`, "any-password-at-all", { ip, userAgent: "burst" })),
      );
      expect(await checks(eq(auditEvents.ip, ip))).toHaveLength(SIGN_IN_MAX_FAILURES);
      expect(results.filter(locked)).toHaveLength(BURST - SIGN_IN_MAX_FAILURES);
      const user = await makeUser();
      expect(await signInWithPassword(user.email!, PASSWORD, { ip, userAgent: "burst" })).toMatchObject({ ok: false, reason: "locked" });
    }
  }, 180_000);

  it("a successful sign-in is recorded once, as a success, and the account's count starts again", async () => {
    const user = await makeUser();
    const ip = nextIp();
    for (let n = 0; n < 3; n++) expect(await signInWithPassword(user.email!, `wrong-${n}-password`, { ip, userAgent: "t" })).toMatchObject({ reason: "invalid" });
    expect(await signInWithPassword(user.email!, PASSWORD, { ip, userAgent: "t" })).toMatchObject({ ok: true });
    const recorded = await checks(eq(auditEvents.ip, ip));
    expect(recorded.map((e) => e.action)).toEqual(["auth.sign_in_failed", "auth.sign_in_failed", "auth.sign_in_failed", "auth.signed_in"]);
    // Ten more wrong ones from other addresses are allowed: the account's count began again at the success.
    const other = Array.from({ length: SIGN_IN_MAX_FAILURES - 1 }, (_, n) => signInWithPassword(user.email!, `again-${n}-password`, { ip: nextIp(), userAgent: "t" }));
    for (const r of await Promise.all(other)) expect(r).toMatchObject({ reason: "invalid" });
    expect(await signInWithPassword(user.email!, PASSWORD, { ip: nextIp(), userAgent: "t" })).toMatchObject({ ok: true });
  }, 60_000);
});
