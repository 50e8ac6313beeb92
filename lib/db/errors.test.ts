import { inspect } from "node:util";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DatabaseError, DatabaseUnavailableError, databaseErrorOf, isUniqueViolation, unavailableCode, userFacing } from "@/lib/errors";
import { withFreshDatabase } from "@/lib/test/db";
import { getDb } from "./client";
import { users } from "./schema";

withFreshDatabase();

const HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2VjcmV0c2FsdA$aGFzaGhhc2hoYXNoaGFzaA";

afterEach(() => vi.restoreAllMocks());

let n = 0;
async function failedInsert(): Promise<unknown> {
  const db = await getDb();
  const row = { kind: "human" as const, email: `dup${++n}@example.com`, username: `dup${n}`, name: "Dup", passwordHash: HASH };
  await db.insert(users).values(row);
  return db.insert(users).values({ ...row, username: `dup${n}b` }).then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe("a failed query", () => {
  it("reaches callers without its parameters: code, constraint and the database's message only", async () => {
    const error = await failedInsert();
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as DatabaseError).code).toBe("23505");
    expect(isUniqueViolation(error, "users_email_key")).toBe(true);
    // However it is printed: as Next logs an error that escapes a page, as console.error shows it, as a string.
    for (const shown of [inspect(error, { depth: 5 }), String(error), JSON.stringify(error), (error as Error).stack ?? ""]) {
      expect(shown).not.toContain("$argon2");
      expect(shown).not.toMatch(/params|Failed query|insert into/i);
    }
  });

  it("is logged by userFacing as code and message, and the visitor gets the generic sentence", async () => {
    const error = await failedInsert();
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    // Wrapped as a lib/ function would rethrow it.
    const answer = userFacing(new Error("creating a user failed", { cause: error }), "test");
    expect(answer).toMatchObject({ status: 500, code: "internal_error" });
    const direct = userFacing(error, "test");
    expect(direct.message).not.toMatch(/users_email|23505/);
    const lines = logged.mock.calls.map((c) => c.map(String).join(" ")).join("\n");
    expect(lines).toContain("23505");
    expect(lines).not.toContain("$argon2");
    expect(lines).not.toMatch(/params|Failed query/i);
  });

  it("drizzle's error, were it to escape, is cut down the same way", () => {
    const drizzleError = Object.assign(new Error(`Failed query: select 1\nparams: ${HASH}`), { query: "select 1", params: [HASH], cause: Object.assign(new Error("boom"), { code: "XX000" }) });
    const safe = databaseErrorOf(drizzleError);
    expect(safe.message).toBe("database error XX000: boom");
    expect(inspect(safe)).not.toContain("$argon2");
  });
});

describe("database unavailable", () => {
  it("is one classification for refused, reset, timed-out and shut-down connections, however deep the cause", () => {
    for (const code of ["ECONNREFUSED", "CONNECT_TIMEOUT", "CONNECTION_CLOSED", "57P01", "57014", "08006", "53300"]) {
      const driver = Object.assign(new Error("x"), { code });
      expect(unavailableCode(driver)).toBe(code);
      expect(unavailableCode(new Error("wrapped", { cause: new Error("again", { cause: driver }) }))).toBe(code);
      expect(databaseErrorOf(driver)).toBeInstanceOf(DatabaseUnavailableError);
    }
    expect(unavailableCode(Object.assign(new Error("x"), { code: "23505" }))).toBeUndefined();
    expect(unavailableCode(new TypeError("bug"))).toBeUndefined();
  });

  it("is answered 503 database_unavailable with a sentence for people", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const answer = userFacing(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }), "test");
    expect(answer).toMatchObject({ status: 503, code: "database_unavailable" });
    expect(answer.message).toContain("cannot reach its database");
    const db = await getDb();
    await expect(db.execute(sql`select 1`)).resolves.toBeDefined();
  });
});
