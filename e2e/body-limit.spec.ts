import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { expect, test } from "./support/fixtures";
import { signIn } from "./support/ui";

/**
 * Bodies over the limit (lib/http/body-limit.ts: 64 KiB for /api/*, 1 MiB for
 * server actions) are refused with 413 before they are read, whether their
 * size is declared (Content-Length) or not (chunked), and the server's memory
 * stays where it was while an attacker streams hundreds of megabytes at it.
 */
test.describe.configure({ mode: "serial" });
test.use({ seed: { users: [{ ref: "ada", isOrgAdmin: true }, { ref: "alice" }], keys: [{ ref: "alice", user: "alice", name: "CI" }] } });

const MiB = 1024 * 1024;
const PASSWORD = "a-long-password-123"; // the seed's default

type Sent = { status: number; head: string; body: string; sentBytes: number };

/**
 * A POST written on a raw socket: the headers, then up to `bytes` of body in
 * 64 KiB writes (chunked when asked), until the server answers and closes.
 */
function post(baseUrl: string, path: string, headers: Record<string, string>, bytes: number, how: "declared" | "chunked"): Promise<Sent> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let answer = "";
    let sent = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      socket.destroy();
      const [head = "", body = ""] = answer.split("\r\n\r\n");
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head, body, sentBytes: sent });
    };
    socket.on("data", (d) => (answer += d.toString("latin1")));
    socket.on("close", finish);
    socket.on("error", finish);
    socket.setTimeout(60_000, finish);
    socket.on("connect", () => {
      const lines = [`POST ${path} HTTP/1.1`, `Host: ${hostname}:${port}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
      lines.push(how === "declared" ? `Content-Length: ${bytes}` : "Transfer-Encoding: chunked");
      socket.write(lines.join("\r\n") + "\r\n\r\n");
      const block = Buffer.alloc(64 * 1024, 0x61);
      const pump = () => {
        while (!done && sent < bytes && !answer) {
          const piece = block.subarray(0, Math.min(block.length, bytes - sent));
          sent += piece.length;
          const ok = socket.write(how === "chunked" ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from("\r\n")]) : piece);
          if (!ok) return void socket.once("drain", pump);
        }
        if (!done && sent >= bytes && how === "chunked") socket.write("0\r\n\r\n");
      };
      pump();
    });
  });
}

/** Resident memory of the server (tsx and the node process it runs), in bytes. */
function rss(pid: number): number {
  const children = (p: number): number[] => {
    try {
      return readFileSync(`/proc/${p}/task/${p}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  let total = 0;
  for (const p of [pid, ...children(pid)]) {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1];
    total += Number(kb ?? 0) * 1024;
  }
  return total;
}

function expectTooLarge(sent: Sent, limit: string) {
  expect(sent.status).toBe(413);
  expect(sent.head.toLowerCase()).toContain("content-type: application/problem+json");
  expect(JSON.parse(sent.body)).toMatchObject({ status: 413, code: "payload_too_large", detail: expect.stringContaining(limit) });
}

test("the REST API and the sign-in endpoint refuse bodies over 64 KiB with 413, declared or chunked, and create nothing", async ({ app }) => {
  const json = { "content-type": "application/json", ...app.bearer("alice") };
  const form = { "content-type": "application/x-www-form-urlencoded" };
  for (const how of ["declared", "chunked"] as const) {
    expectTooLarge(await post(app.url, "/api/v1/keys", json, 200 * MiB, how), "64 KiB");
    expectTooLarge(await post(app.url, "/api/auth/callback/credentials", form, 200 * MiB, how), "64 KiB");
    expectTooLarge(await post(app.url, "/api/v1/keys/verify", json, 200 * MiB, how), "KiB");
  }
  const keys = await fetch(app.api("/keys"), { headers: app.bearer("alice") });
  expect(((await keys.json()) as { keys: unknown[] }).keys).toHaveLength(1);
  // A body within the limit still reaches the handler whole, chunked too (100 bytes of "a": not JSON).
  for (const how of ["declared", "chunked"] as const) {
    const small = await post(app.url, "/api/v1/keys", json, 100, how);
    expect(small.status).toBe(400);
    expect(JSON.parse(small.body)).toMatchObject({ code: "invalid_json" });
  }
});

test("a server action with a body over 1 MiB answers 413, not 500, and changes nothing", async ({ app, page }) => {
  await signIn(page, app.url, "alice@example.com", PASSWORD);
  await expect(page.getByRole("heading", { name: "Global Dashboard" })).toBeVisible();
  await page.goto(`${app.url}/settings/api-keys`);
  // The real Generate action, captured as the browser sends it, then replayed with a large body.
  await page.route("**/settings/api-keys", (route) => (route.request().headers()["next-action"] ? route.abort() : route.continue()));
  const sent = page.waitForRequest((r) => r.method() === "POST" && !!r.headers()["next-action"]);
  await page.getByRole("button", { name: "Generate API key" }).click();
  const dialog = page.getByRole("dialog", { name: "Generate API key" });
  await dialog.getByLabel("Name").fill("Captured");
  await dialog.getByRole("button", { name: /Generate/ }).click();
  const action = await sent;
  const headers = await action.allHeaders();
  const replay = {
    "next-action": headers["next-action"]!,
    "content-type": headers["content-type"]!,
    cookie: headers.cookie ?? (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; "),
    origin: app.url,
  };
  for (const how of ["declared", "chunked"] as const) expectTooLarge(await post(app.url, "/settings/api-keys", replay, 2 * MiB, how), "1 MiB");
  const keys = await fetch(app.api("/keys"), { headers: app.bearer("alice") });
  expect(((await keys.json()) as { keys: { name: string }[] }).keys.map((k) => k.name)).toEqual(["CI"]);
});

test("four 200 MB uploads to the sign-in endpoint leave the server's memory where it was", async ({ app }) => {
  test.setTimeout(120_000);
  const before = rss(app.pid);
  const form = { "content-type": "application/x-www-form-urlencoded" };
  const uploads = await Promise.all([
    post(app.url, "/api/auth/callback/credentials", form, 200 * MiB, "declared"),
    post(app.url, "/api/auth/callback/credentials", form, 200 * MiB, "chunked"),
    post(app.url, "/api/v1/keys", { "content-type": "application/json" }, 200 * MiB, "declared"),
    post(app.url, "/api/v1/keys", { "content-type": "application/json" }, 200 * MiB, "chunked"),
  ]);
  for (const upload of uploads) expect(upload.status).toBe(413);
  // Generous: the whole bodies in memory would be 800 MB and more.
  expect(rss(app.pid) - before).toBeLessThan(100 * MiB);
  expect((await fetch(app.api("/health"))).status).toBe(200);
});
