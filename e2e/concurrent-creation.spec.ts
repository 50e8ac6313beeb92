import { expect, test } from "@playwright/test";
import { seedDatabase, type Seeded } from "./support/api";
import { freshDatabase, startServer, type TestServer } from "./support/server";
import { signIn } from "./support/ui";

/** Things made at the same moment by many requests: each promise holds under concurrency, not only in sequence. */
test.describe.configure({ mode: "serial" });

let server: TestServer;
let db: Awaited<ReturnType<typeof freshDatabase>>;
let s: Seeded;
const PAT = { email: "pat@example.com", password: "a-long-password-123" };

test.beforeAll(async () => {
  db = await freshDatabase();
  s = seedDatabase(db, {
    users: [
      { ref: "root", name: "Root Admin", email: "root@example.com", isOrgAdmin: true },
      { ref: "pat", name: "Pat Person", email: PAT.email, password: PAT.password },
    ],
    keys: [{ ref: "root", user: "root", name: "Root" }],
  });
  server = await startServer({ API_AUTH_FAILURE_LIMIT: "100000", API_RATE_LIMIT: "100000" }, db);
});
test.afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

test("30 concurrent posts of the profile's Generate API Key make exactly one key; the others are told they have one", async ({ page, context }) => {
  await signIn(page, server.url, PAT.email, PAT.password);
  await expect(page.getByRole("heading", { name: "Global Dashboard" })).toBeVisible();
  await page.goto(`${server.url}/profile`);
  await expect(page.getByText("You have no active API key.")).toBeVisible();

  // The click's own request is held back (aborted): its action id and body are what a script would replay.
  let action: { id: string; contentType: string; body: string } | undefined;
  await page.route(`${server.url}/profile`, async (route) => {
    const req = route.request();
    const id = req.headers()["next-action"];
    if (req.method() === "POST" && id && !action) {
      action = { id, contentType: req.headers()["content-type"] ?? "text/plain;charset=UTF-8", body: req.postData() ?? "" };
      return route.abort();
    }
    return route.continue();
  });
  await page.getByRole("button", { name: "Generate API Key" }).click();
  await expect.poll(() => action).toBeDefined();
  await page.unroute(`${server.url}/profile`);

  const answers = await Promise.all(
    Array.from({ length: 30 }, async () => {
      const res = await context.request.post(`${server.url}/profile`, {
        headers: { "next-action": action!.id, "content-type": action!.contentType, origin: server.url },
        data: action!.body,
        maxRedirects: 0,
      });
      return { status: res.status(), text: await res.text() };
    }),
  );
  expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
  expect(answers.filter((a) => /lk_pat_[0-9A-Za-z]{38}/.test(a.text))).toHaveLength(1);
  expect(answers.filter((a) => a.text.includes("You already have an API key: manage your keys in Settings > API Keys."))).toHaveLength(29);

  await page.goto(`${server.url}/profile`);
  await expect(page.getByText("You have 1 active API key.")).toBeVisible();
  await page.goto(`${server.url}/settings/api-keys`);
  const keyRows = page.getByRole("row").filter({ hasText: "lk_pat_" });
  await expect(keyRows).toHaveCount(1);
  await expect(keyRows).toContainText("Default");
});

test("people whose emails share a local part, added at once over REST, all get in with distinct usernames", async ({ request }) => {
  const headers = { authorization: `Bearer ${s.keys.root!.secret}` };
  for (let round = 0; round < 5; round++) {
    const answers = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const res = await request.post(`${server.url}/api/v1/admin/users`, { headers, data: { name: `Ada ${round}.${i}`, email: `ada${round}@host${i}.example` } });
        return { status: res.status(), body: (await res.json()) as { user?: { username: string } } };
      }),
    );
    expect(answers.map((a) => a.status), JSON.stringify(answers.find((a) => a.status !== 201))).toEqual(answers.map(() => 201));
    const usernames = answers.map((a) => a.body.user!.username);
    expect(new Set(usernames).size).toBe(10);
    for (const u of usernames) expect(u).toMatch(new RegExp(`^ada${round}(-\\d+)?$`));
  }
  expect(server.output()).not.toContain("unhandled error");
});
