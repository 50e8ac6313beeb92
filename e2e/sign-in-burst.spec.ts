import { expect, test } from "@playwright/test";
import { seedDatabase } from "./support/api";
import { freshDatabase, startServer, type TestServer } from "./support/server";

/**
 * The sign-in lock-out as an attacker meets it: many simultaneous POSTs to the
 * real sign-in endpoint. Each round comes from its own address (TRUST_PROXY and
 * X-Forwarded-For) against its own account, so that rounds do not lock each other.
 */
test.describe.configure({ mode: "serial" });

const PASSWORD = "a-long-password-123"; // the seed's default
const ROUNDS = 4;
const BURST = 60;
const LIMIT = 10;

let server: TestServer;
let db: Awaited<ReturnType<typeof freshDatabase>>;

test.beforeAll(async () => {
  // Seeding and starting the server share the machine with other work.
  test.setTimeout(180_000);
  db = await freshDatabase();
  seedDatabase(db, { users: [{ ref: "ada", isOrgAdmin: true }, ...Array.from({ length: ROUNDS }, (_, i) => ({ ref: `target${i}` }))] });
  server = await startServer({ TRUST_PROXY: "1" }, db);
});
test.afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

type Outcome = "signed in" | "invalid" | "locked";

test(`${BURST} simultaneous sign-ins from one address check at most ${LIMIT} wrong passwords, and the right one later in the burst is locked out`, async ({ playwright }) => {
  test.setTimeout(120_000);
  for (let round = 0; round < ROUNDS; round++) {
    const email = `target${round}@example.com`;
    const address = `203.0.113.${round + 1}`;
    const request = await playwright.request.newContext({ extraHTTPHeaders: { "x-forwarded-for": address } });
    const { csrfToken } = (await (await request.get(`${server.url}/api/auth/csrf`)).json()) as { csrfToken: string };
    const attempt = async (password: string): Promise<Outcome> => {
      const res = await request.post(`${server.url}/api/auth/callback/credentials`, {
        form: { email, password, csrfToken, callbackUrl: `${server.url}/`, json: "true" },
        maxRedirects: 0,
      });
      const error = new URL(((await res.json()) as { url: string }).url).searchParams.get("error");
      if (!error) return "signed in";
      if (error === "Invalid email or password") return "invalid";
      expect(error).toMatch(/^Too many failed sign-in attempts\. Try again in 1[45] minutes \(at \d\d:\d\d UTC\)\.$/);
      return "locked";
    };

    // Attempt 16 carries the right password.
    const outcomes = await Promise.all(Array.from({ length: BURST }, (_, n) => attempt(n === 15 ? PASSWORD : `wrong-${n}-password`)));
    const count = (o: Outcome) => outcomes.filter((x) => x === o).length;
    // While the right one is being checked it counts as a failure, so a right password that got in early may leave nine.
    expect(count("invalid"), `round ${round}: ${outcomes.join(", ")}`).toBeLessThanOrEqual(LIMIT);
    expect(count("invalid")).toBeGreaterThanOrEqual(LIMIT - count("signed in"));
    expect(count("locked")).toBeGreaterThanOrEqual(BURST - LIMIT - 1);

    // After the burst the address is locked: even the right password is refused.
    if (count("invalid") === LIMIT) expect(await attempt(PASSWORD)).toBe("locked");
    await request.dispose();
  }

  // Another address is not locked out of its own account.
  const other = await playwright.request.newContext({ extraHTTPHeaders: { "x-forwarded-for": "198.51.100.7" } });
  const { csrfToken } = (await (await other.get(`${server.url}/api/auth/csrf`)).json()) as { csrfToken: string };
  const res = await other.post(`${server.url}/api/auth/callback/credentials`, {
    form: { email: "ada@example.com", password: PASSWORD, csrfToken, callbackUrl: `${server.url}/`, json: "true" },
  });
  expect(new URL(((await res.json()) as { url: string }).url).searchParams.get("error")).toBeNull();
  await other.dispose();
});
