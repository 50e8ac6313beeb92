import { expect, type APIResponse, test } from "@playwright/test";
import { seedDatabase, type Seeded } from "./support/api";
import { freshDatabase, startServer, type TestServer } from "./support/server";

test.describe.configure({ mode: "serial" });

let server: TestServer;
let db: Awaited<ReturnType<typeof freshDatabase>>;
let s: Seeded;

test.beforeAll(async () => {
  db = await freshDatabase();
  s = seedDatabase(db, {
    users: [{ ref: "alice" }, { ref: "bob" }],
    keys: [
      { ref: "a", user: "alice", name: "A" },
      { ref: "b", user: "bob", name: "B" },
    ],
  });
  server = await startServer({ API_RATE_LIMIT: "5", API_AUTH_FAILURE_LIMIT: "3" }, db);
});
test.afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

const me = `/api/v1/me`;

async function expect429(res: APIResponse, limit: string) {
  expect(res.status()).toBe(429);
  expect(res.headers()["content-type"]).toBe("application/problem+json");
  expect(await res.json()).toMatchObject({ status: 429, code: "rate_limited", title: "Too many requests", type: expect.any(String), detail: expect.any(String) });
  const h = res.headers();
  expect(h["ratelimit-limit"]).toBe(limit);
  expect(h["ratelimit-remaining"]).toBe("0");
  const reset = Number(h["ratelimit-reset"]);
  expect(reset).toBeGreaterThan(0);
  expect(reset).toBeLessThanOrEqual(60);
  expect(h["retry-after"]).toBe(h["ratelimit-reset"]);
}

test("each key has its own limit; over it the answer is 429 with Retry-After and RateLimit headers", async ({ request }) => {
  const a = { authorization: `Bearer ${s.keys.a!.secret}` };
  const remaining: string[] = [];
  for (let i = 0; i < 5; i++) {
    const res = await request.get(`${server.url}${me}`, { headers: a });
    expect(res.status()).toBe(200);
    expect(res.headers()["ratelimit-limit"]).toBe("5");
    remaining.push(res.headers()["ratelimit-remaining"]!);
  }
  expect(remaining).toEqual(["4", "3", "2", "1", "0"]);
  await expect429(await request.get(`${server.url}${me}`, { headers: a }), "5");
  // Another key is counted on its own.
  expect((await request.get(`${server.url}${me}`, { headers: { "x-api-key": s.keys.b!.secret } })).status()).toBe(200);
});

test("failed authentications are limited per address", async ({ request }) => {
  for (let i = 0; i < 3; i++) {
    const res = await request.get(`${server.url}${me}`, { headers: { authorization: "Bearer lk_pat_wrong" } });
    expect(res.status()).toBe(401);
  }
  await expect429(await request.get(`${server.url}${me}`, { headers: { authorization: "Bearer lk_pat_wrong" } }), "3");
  // The address is blocked for the rest of the window, whatever it sends.
  await expect429(await request.get(`${server.url}${me}`, { headers: { authorization: `Bearer ${s.keys.b!.secret}` } }), "3");
});
