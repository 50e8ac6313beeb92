import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { freshDatabase, startServer } from "./support/server";
import { signIn } from "./support/ui";

// Each of these processes exits before it listens; the port is never bound.

// The server as an operator meets it: start, configuration errors, restarts, one writer per data directory.
const root = path.resolve(__dirname, "..");

function runServer(env: Record<string, string>) {
  return spawnSync(process.execPath, [require.resolve("tsx/cli"), "server.ts", "--production"], {
    cwd: root,
    env: { ...process.env, PORT: "3999", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
}

test("invalid configuration stops the server with a message naming the variable", () => {
  const result = runServer({ PORT: "not-a-port", DATABASE_URL: "" });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain("Invalid configuration");
  expect(result.stderr).toContain("PORT");
});

test("DATABASE_URL without AUTH_SECRET explains why the secret is required", () => {
  const result = runServer({ DATABASE_URL: "postgres://postgres@127.0.0.1:5432/test", AUTH_SECRET: "" });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain("AUTH_SECRET is required when DATABASE_URL is set");
});

test("ADMIN_EMAIL makes the first admin at start, idempotently, and data survives a restart", async ({ page, request }) => {
  const db = await freshDatabase();
  const env = { ADMIN_EMAIL: "ops@example.com", ADMIN_PASSWORD: "initial-password-123" };
  try {
    const first = await startServer(env, db);
    expect(first.output()).toContain("Created Global Admin ops@example.com");
    expect(first.output()).toContain(`Sign in at ${first.url}/login`);
    expect((await request.get(`${first.url}/setup`)).status()).toBe(404);
    await first.stop();

    const second = await startServer({ ...env, ADMIN_PASSWORD: "a-different-password" }, db);
    expect(second.output()).not.toContain("Created Global Admin");
    expect(second.output()).toContain("ADMIN_PASSWORD differs");
    expect((await request.get(`${second.url}/setup`)).status()).toBe(404);
    // The password set on the first start is still the one that works.
    await signIn(page, second.url, env.ADMIN_EMAIL, env.ADMIN_PASSWORD);
    await expect(page.getByRole("heading", { name: "Global Dashboard" })).toBeVisible();
    await second.stop();
  } finally {
    await db.drop();
  }
});

test("a second process on the same data directory exits at once and names the holder", async () => {
  // Runs in the PGlite pass of `.ci/run`; skipped in the Postgres pass, where there is no data-directory lock to test.
  test.skip(!!process.env.DATABASE_URL, "PGlite only: with DATABASE_URL, many instances share one Postgres by design");
  const db = await freshDatabase();
  const server = await startServer({}, db);
  try {
    const pid = JSON.parse(readFileSync(path.join(db.dataDir, "latchkey.lock"), "utf8")).pid as number;
    const second = runServer({ LATCHKEY_DATA_DIR: db.dataDir, DATABASE_URL: "" });
    expect(second.status).toBe(1);
    expect(second.stderr).toContain(`is in use by process ${pid}`);
    const health = await fetch(`${server.url}/api/v1/health`);
    expect(health.status).toBe(200);
  } finally {
    await server.stop();
    await db.drop();
  }
});
