import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { generateKey } from "../lib/keys/format";
import { freePort, startServer, type TestServer } from "./support/server";
import { signIn } from "./support/ui";

test.describe.configure({ mode: "serial" });

const ADMIN = { ADMIN_EMAIL: "cli@example.com", ADMIN_PASSWORD: "cli-password-1234" };
const root = path.resolve(__dirname, "..");
let server: TestServer;
let configHome: string;
let firstKey: string;

/** Runs the real `latchkey` command as a subprocess, the way a person's terminal would. */
function cli(args: string[], opts: { stdin?: string; env?: Record<string, string>; nodeArgs?: string[] } = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), path.join(root, "bin/latchkey.js"), ...args], {
      cwd: tmpdir(),
      env: { NODE_ENV: "production", PATH: process.env.PATH, HOME: configHome, XDG_CONFIG_HOME: configHome, ...opts.env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout: stdout.trim(), stderr: stderr.trim() }));
    child.stdin.end(opts.stdin ?? "");
  });
}

/** The first key comes from the console, as it would for a person: User Profile > Generate API Key. */
async function generateFirstKey(page: Page, url = server.url): Promise<string> {
  await signIn(page, url, ADMIN.ADMIN_EMAIL, ADMIN.ADMIN_PASSWORD);
  await expect(page.getByRole("heading", { name: "Global Dashboard" })).toBeVisible();
  await page.goto(`${url}/profile`);
  await page.getByRole("button", { name: "Generate API Key" }).click();
  const key = await page.getByRole("textbox", { name: "API key" }).inputValue();
  await page.getByRole("button", { name: "Copy" }).click();
  await page.getByRole("button", { name: "Done" }).click();
  return key;
}

const me = (key: string) => fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${key}` } });

test.beforeAll(async () => {
  server = await startServer(ADMIN);
  configHome = mkdtempSync(path.join(tmpdir(), "latchkey-cli-"));
});
test.afterAll(async () => {
  await server?.stop();
});

test("--help on every command, and usage errors exit non-zero with one line", async () => {
  for (const args of [["--help"], ["auth", "login", "--help"], ["auth", "show", "--help"], ["auth", "logout", "--help"], ["tokens", "create", "--help"], ["tokens", "list", "--help"], ["tokens", "rotate", "--help"], ["tokens", "revoke", "--help"]]) {
    const r = await cli(args);
    expect(r.code, args.join(" ")).toBe(0);
    expect(r.stdout).toContain("Usage: latchkey");
  }
  const bad = await cli(["tokens", "explode"]);
  expect(bad.code).toBe(2);
  expect(bad.stderr.split("\n")).toHaveLength(1);
  expect(bad.stderr).toContain('Unknown command "tokens explode"');
});

test("--help loads plain JavaScript only: no TypeScript source and no compiler at start", async () => {
  // Every file the process loaded, written when it exits.
  const dir = mkdtempSync(path.join(tmpdir(), "latchkey-cli-loads-"));
  const hook = path.join(dir, "hook.cjs");
  const list = path.join(dir, "loaded.json");
  writeFileSync(hook, `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(list)}, JSON.stringify(Object.keys(require.cache))));`);
  // The first run may build the bundle (a fresh checkout, an edited source); the next one must not need to.
  expect((await cli(["--help"])).code).toBe(0);
  const r = await cli(["--help"], { nodeArgs: ["--require", hook] });
  expect(r.code).toBe(0);
  expect(r.stdout).toContain("Usage: latchkey <command>");
  const loaded = (JSON.parse(readFileSync(list, "utf8")) as string[]).filter((f) => f !== hook).map((f) => path.relative(root, f));
  expect(loaded.filter((f) => /\.tsx?$/.test(f) || /node_modules[\\/](tsx|esbuild|typescript)[\\/]/.test(f))).toEqual([]);
  expect(loaded).toContain(path.join("dist", "cli", "latchkey.cjs"));
});

test("auth login reads the key from standard input, checks it and saves it with mode 0600", async ({ page }) => {
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  firstKey = await generateFirstKey(page);
  expect(firstKey).toMatch(/^lk_pat_/);

  const r = await cli(["auth", "login", "--url", server.url, "--key", "-"], { stdin: `${firstKey}\n` });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(`Signed in to ${server.url} as cli`);
  expect(r.stdout).not.toContain(firstKey);

  const file = path.join(configHome, "latchkey", "config.json");
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(JSON.parse(readFileSync(file, "utf8")).servers[server.url].key).toBe(firstKey);
});

test("auth login refuses a typo before asking the server, and a key the server does not know", async () => {
  const typo = firstKey.slice(0, -1) + (firstKey.endsWith("A") ? "B" : "A");
  const r = await cli(["auth", "login", "--url", server.url, "--key", typo]);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain("That is not a Latchkey API key");
  const unknown = await cli(["auth", "login", "--url", server.url, "--key", "-"], { stdin: generateKey("pat") });
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toBe("latchkey: The key was refused: the server does not know it (key_unknown). Run `latchkey auth login` with a valid key.");
});

test("auth show lists the server, the masked key and who it is", async () => {
  const r = await cli(["auth", "show"]);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(server.url);
  expect(r.stdout).toContain(`${firstKey.slice(0, 11)}…${firstKey.slice(-4)}`);
  expect(r.stdout).not.toContain(firstKey);
  expect(r.stdout).toContain("cli");
  const json = JSON.parse((await cli(["auth", "show", "--json"])).stdout);
  expect(json.servers[0]).toMatchObject({ url: server.url, current: true, owner: { username: "cli" } });
});

let ciId: string;
let ciKey: string;

test("tokens create prints the new token once; tokens list shows it", async () => {
  const r = await cli(["tokens", "create", "--name", "CI", "--days", "30"]);
  expect(r.code).toBe(0);
  ciKey = r.stdout;
  expect(ciKey).toMatch(/^lk_pat_[0-9A-Za-z]{38}$/);
  expect(r.stderr).toContain("it will not be shown again");
  expect((await me(ciKey)).status).toBe(200);

  const list = await cli(["tokens", "list"]);
  expect(list.code).toBe(0);
  expect(list.stdout).toMatch(/ID\s+NAME\s+KEY\s+CREATED\s+LAST USED\s+EXPIRES\s+STATUS/);
  const row = list.stdout.split("\n").find((l) => l.includes(" CI "))!;
  expect(row).toContain(`${ciKey.slice(0, 11)}…${ciKey.slice(-4)}`);
  expect(row).toContain("Active");
  expect(list.stdout).not.toContain(ciKey);

  const json = JSON.parse((await cli(["tokens", "list", "--json"])).stdout);
  ciId = json.keys.find((k: { name: string }) => k.name === "CI").id;
  expect(ciId).toBeTruthy();
});

test("validation errors from the server come back as one clear line", async () => {
  const r = await cli(["tokens", "create", "--name", "CI"]);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain("You already have a key named “CI”");
  const days = await cli(["tokens", "create", "--name", "X", "--days", "0"]);
  expect(days.code).toBe(2);
  expect(days.stderr).toContain("--days must be a whole number from 1 to 3650");
});

test("tokens rotate with a grace period: both keys work until it ends", async () => {
  const r = await cli(["tokens", "rotate", ciId, "--grace", "24h"]);
  expect(r.code).toBe(0);
  const next = r.stdout;
  expect(next).toMatch(/^lk_pat_/);
  expect(next).not.toBe(ciKey);
  expect(r.stderr).toContain("the old key stops working at");
  expect((await me(ciKey)).status).toBe(200);
  expect((await me(next)).status).toBe(200);
  ciKey = next;
  ciId = JSON.parse((await cli(["tokens", "list", "--json"])).stdout).keys.find((k: { name: string; status: string }) => k.name === "CI" && k.status !== "rotating").id;
});

test("tokens revoke stops the key at once", async () => {
  const r = await cli(["tokens", "revoke", ciId]);
  expect(r.code).toBe(0);
  expect((await me(ciKey)).status).toBe(401);
  const refused = await cli(["tokens", "list"], { env: { LATCHKEY_API_KEY: ciKey } });
  expect(refused.code).toBe(1);
  expect(refused.stderr).toBe("latchkey: The key was refused: it has been revoked (key_revoked). Run `latchkey auth login` with a valid key.");
});

test("tokens revoke and rotate take a token's name or its start as lists show it; ambiguity is refused with the matches", async () => {
  expect((await cli(["tokens", "create", "--name", "Deploy", "--days", "30"])).code).toBe(0);
  const listed = async () => JSON.parse((await cli(["tokens", "list", "--all", "--json"])).stdout).keys as { id: string; name: string; start: string; lastFour: string; status: string }[];
  const first = (await listed()).find((k) => k.name === "Deploy")!;

  // By name: with a grace period, so that two tokens named Deploy work for a while.
  const rotated = await cli(["tokens", "rotate", "Deploy", "--grace", "1h"]);
  expect(rotated.stderr).toContain('Token "Deploy" rotated');
  expect(rotated.code).toBe(0);
  expect((await me(rotated.stdout)).status).toBe(200);
  const replacement = (await listed()).find((k) => k.name === "Deploy" && k.status === "active")!;

  const ambiguous = await cli(["tokens", "revoke", "Deploy"]);
  expect(ambiguous.code).toBe(2);
  expect(ambiguous.stderr).toContain('latchkey: "Deploy" matches 2 tokens; give the ID of the one to revoke:');
  expect(ambiguous.stderr).toContain(`${first.id}  Deploy  ${first.start}…${first.lastFour}  Being replaced`);
  expect(ambiguous.stderr).toContain(`${replacement.id}  Deploy  ${replacement.start}…${replacement.lastFour}  Active`);
  expect((await me(rotated.stdout)).status).toBe(200);

  // By the start `tokens list` shows: the old key stops before its grace period ends.
  const byStart = await cli(["tokens", "revoke", first.start]);
  expect(byStart.stderr).toBe("");
  expect(byStart.code).toBe(0);
  expect(byStart.stdout).toBe(`Token "Deploy" (${first.start}…${first.lastFour}, ${first.id}) revoked.`);
  expect((await listed()).find((k) => k.id === first.id)!.status).toBe("revoked");

  // Only the replacement is live now: the name means it.
  const byName = await cli(["tokens", "revoke", "Deploy"]);
  expect(byName.code).toBe(0);
  expect((await me(rotated.stdout)).status).toBe(401);
});

test("revoking a token that is already revoked says so and exits 1, by name, start or id", async () => {
  const revoked = JSON.parse((await cli(["tokens", "list", "--all", "--json"])).stdout).keys.filter((k: { name: string }) => k.name === "Deploy") as { id: string; start: string; lastFour: string }[];
  expect(revoked).toHaveLength(2);
  for (const ref of ["Deploy", revoked[0]!.start, revoked[0]!.id]) {
    const r = await cli(["tokens", "revoke", ref]);
    expect(r.code, ref).toBe(1);
    expect(r.stderr).toMatch(/^latchkey: Token "Deploy" \(lk_pat_\w{4}…\w{4}\) is already revoked since \d{4}-\d\d-\d\d \d\d:\d\d UTC: nothing to revoke\.$/);
  }
  const rotate = await cli(["tokens", "rotate", "Deploy"]);
  expect(rotate.code).toBe(1);
  expect(rotate.stderr).toContain("is already revoked");
});

test("tokens create --login switches the CLI to the new token; rotating it follows along", async () => {
  const r = await cli(["tokens", "create", "--name", "Laptop", "--days", "7", "--login"]);
  expect(r.code).toBe(0);
  const show = JSON.parse((await cli(["auth", "show", "--json"])).stdout);
  expect(show.servers[0].keyName).toBe("Laptop");
  const id = JSON.parse((await cli(["tokens", "list", "--json"])).stdout).keys.find((k: { name: string }) => k.name === "Laptop").id;
  const rotated = await cli(["tokens", "rotate", id]);
  expect(rotated.code).toBe(0);
  expect(rotated.stderr).toContain("The CLI now uses the new key.");
  expect((await me(r.stdout)).status).toBe(401);
  expect((await cli(["tokens", "list"])).code).toBe(0);
});

test("an API account's key is told it may not create tokens", async () => {
  // A Global Admin makes the account through the REST API, as automation would.
  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${firstKey}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then((r) => r.json());
  const { project } = await admin("POST", "/admin/projects", { name: "Deploys" });
  const { roles } = await admin("GET", "/admin/roles");
  const viewer = roles.find((r: { name: string }) => r.name === "Viewer");
  const { secret } = await admin("POST", "/admin/api-accounts", { username: "deploy-bot", memberships: [{ projectId: project.id, roleId: viewer.id }] });
  expect(secret).toMatch(/^lk_sa_/);
  const r = await cli(["tokens", "create", "--name", "bot"], { env: { LATCHKEY_URL: server.url, LATCHKEY_API_KEY: secret } });
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/^latchkey: Permission denied: .+/);
  expect(r.stderr.split("\n")).toHaveLength(1);
});

test("another user's token id is not found", async () => {
  const r = await cli(["tokens", "revoke", "00000000-0000-4000-8000-000000000000"]);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain("Not found");
});

test("an unreachable server is named in the error", async () => {
  const port = await freePort();
  const r = await cli(["tokens", "list"], { env: { LATCHKEY_URL: `http://127.0.0.1:${port}`, LATCHKEY_API_KEY: firstKey } });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(`Cannot reach Latchkey at http://127.0.0.1:${port}`);
});

test("auth logout forgets the server", async () => {
  const r = await cli(["auth", "logout"]);
  expect(r.code).toBe(0);
  const after = await cli(["tokens", "list"]);
  expect(after.code).toBe(1);
  expect(after.stderr).toContain("Not signed in");
});

test("rate limiting says when to retry", async ({ page }) => {
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  const limited = await startServer({ ...ADMIN, API_RATE_LIMIT: "2" });
  try {
    const env = { LATCHKEY_URL: limited.url, LATCHKEY_API_KEY: await generateFirstKey(page, limited.url) };
    let last = { code: 0 as number | null, stdout: "", stderr: "" };
    for (let i = 0; i < 4 && last.code === 0; i++) last = await cli(["tokens", "list"], { env });
    expect(last.code).toBe(1);
    expect(last.stderr).toMatch(/^latchkey: Rate limited by .*: try again in \d+ seconds?\.$/);
  } finally {
    await limited.stop();
  }
});
