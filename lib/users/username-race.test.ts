import { describe, expect, it } from "vitest";
import { withFreshDatabase } from "@/lib/test/db";
import { makeUser } from "@/lib/test/fixtures";
import { createPerson } from "./admin";
import { createPersonSchema } from "./schemas";

const { kind } = withFreshDatabase();

// Many rounds of people whose emails share a local part, added at the same moment by two admins' worth of
// requests: each must get its own username, none a 500. On PGlite transactions take turns, so only Postgres races.
const ROUNDS = 12;
const AT_ONCE = 8;

describe("usernames of people added at the same moment", () => {
  it("are all distinct, derived from the shared local part, and no creation fails", async () => {
    const admin = await makeUser({ isOrgAdmin: true });
    for (let round = 0; round < ROUNDS; round++) {
      const local = `ada${round}`;
      const results = await Promise.allSettled(
        Array.from({ length: AT_ONCE }, (_, i) =>
          createPerson(admin, createPersonSchema.parse({ name: `Ada ${round}.${i}`, email: `${local}@host${i}.example` })),
        ),
      );
      const failures = results.flatMap((r) => (r.status === "rejected" ? [String(r.reason)] : []));
      expect(failures, `round ${round} on ${kind()}`).toEqual([]);
      const usernames = results.map((r) => (r.status === "fulfilled" ? r.value.username : ""));
      expect(new Set(usernames).size).toBe(AT_ONCE);
      for (const u of usernames) expect(u).toMatch(new RegExp(`^${local}(-\\d+)?$`));
    }
  });

  it("still answers 422 on the email field when the same email is added twice at once", async () => {
    const admin = await makeUser({ isOrgAdmin: true });
    const input = createPersonSchema.parse({ name: "Twice", email: "twice@example.com" });
    const results = await Promise.allSettled(Array.from({ length: AT_ONCE }, () => createPerson(admin, input)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) {
      if (r.status === "rejected") expect(r.reason).toMatchObject({ status: 422, fieldErrors: { email: ["A user with this email already exists."] } });
    }
  });
});
