/**
 * `npm run bench [-- --keys 200000 --active 200000 --only pglite|postgres]`: the key endpoints of
 * the production server next to a bare node:http server answering constant
 * JSON, in one run, on PGlite and (when DATABASE_URL is set) on Postgres.
 * Not part of `npm test`. Builds nothing: run `npm run build` first. Needs
 * wrk (`apt-get install wrk`), which loads 127.0.0.1 only.
 *
 * Scenarios, each in rounds that alternate (so that a noisy moment on the
 * machine hits all of them), medians over the rounds:
 *   - bare node:http;
 *   - GET /api/v1/me and POST /api/v1/keys/verify with one key;
 *   - the same two with "many keys": --keys N keys of one owner seeded
 *     straight into the database (their plaintexts made here, their hashes
 *     inserted in bulk: bench/seed-keys.ts), each request drawing one of the
 *     first --active of them at random.
 * Before the rounds, "many keys, cold" is measured on an empty cache (nearly
 * every request a miss), then every active key is presented once so that the
 * rounds see the steady state of a fleet whose keys are in use.
 * Reported: req/s, p50/p99, the server's CPU time per request (from /proc,
 * steadier than req/s on a shared machine), ratios, and on Postgres the
 * database's transactions per request (pg_stat_database.xact_commit; it
 * includes the heartbeats and usage flushes, about one a second).
 * The per-key rate limit is raised for the run, or it would measure 429s.
 */
import "@/lib/runtime/boot";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { closeDatabase, getDatabase } from "@/lib/db/client";
import { resetProcessState } from "@/lib/process-state";
import { seedDatabase } from "../e2e/support/api";
import { freePort, freshDatabase, startServer } from "../e2e/support/server";
import { execOf, seedKeys } from "./seed-keys";

const { values: args } = parseArgs({ options: { keys: { type: "string", default: "200000" }, active: { type: "string" }, only: { type: "string" } } });
const KEYS = Number(args.keys);
const ACTIVE = Math.min(KEYS, Number(args.active ?? 200_000));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP = 3;
/** Postgres flushes a backend's statistics at most once a second, and when idle within 10 s. */
const STATS_SETTLE_MS = 11_500;

type Run = { requests: number; rps: number; p50: number; p99: number; cpuUs: number; non2xx: number; errors: number };
type Row = Run & { name: string; queries?: number };

/** CPU seconds (user + system) of a process and its descendants, in µs. */
function cpuOf(rootPid: number): number {
  const children = new Map<number, number[]>();
  const ticks = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ppid = Number(fields[1]);
      ticks.set(Number(entry), Number(fields[11]) + Number(fields[12]));
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const sum = (pid: number): number => (ticks.get(pid) ?? 0) + (children.get(pid) ?? []).reduce((total, child) => total + sum(child), 0);
  return sum(rootPid) * (1_000_000 / 100); // USER_HZ is 100 on Linux
}

type Load = { url: string; pid: number; method?: "GET" | "POST"; keysFile: string; keyIn?: "auth" | "body"; auth?: string };

/** One timed wrk load (bench/load.lua), with the server's CPU time per request. */
async function load(l: Load, seconds = DURATION): Promise<Run> {
  const u = new URL(l.url);
  const before = cpuOf(l.pid);
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn("wrk", ["-t2", `-c${CONNECTIONS}`, `-d${seconds}s`, "-s", path.join(__dirname, "load.lua"), `${u.origin}/`], {
      env: { ...process.env, BENCH_METHOD: l.method ?? "GET", BENCH_PATH: u.pathname, BENCH_KEYS_FILE: l.keysFile, BENCH_KEY_IN: l.keyIn ?? "auth", BENCH_AUTH: l.auth ?? "" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let text = "";
    child.stdout.on("data", (d) => (text += d));
    child.on("exit", (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk exited with ${code}:\n${text}`))));
  });
  const line = out.split("\n").find((x) => x.startsWith("BENCH_RESULT "));
  if (!line) throw new Error(`wrk printed no result:\n${out}`);
  const r = JSON.parse(line.slice("BENCH_RESULT ".length)) as { requests: number; seconds: number; p50: number; p99: number; errors: number; non2xx: number };
  const cpuUs = (cpuOf(l.pid) - before) / Math.max(1, r.requests);
  return { requests: r.requests, rps: r.requests / r.seconds, p50: r.p50 / 1000, p99: r.p99 / 1000, cpuUs, non2xx: r.non2xx, errors: r.errors };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function summary(name: string, runs: Run[]): Row {
  const sum = (f: (r: Run) => number) => runs.reduce((total, r) => total + f(r), 0);
  const m = (f: (r: Run) => number) => median(runs.map(f));
  return { name, requests: sum((r) => r.requests), rps: m((r) => r.rps), p50: m((r) => r.p50), p99: m((r) => r.p99), cpuUs: m((r) => r.cpuUs), non2xx: sum((r) => r.non2xx), errors: sum((r) => r.errors) };
}

/** A node:http server in its own process, as small as a server gets: the yardstick. */
async function startBare(): Promise<{ url: string; pid: number; stop: () => void }> {
  const port = await freePort();
  const code = `
    const body = JSON.stringify({ owner: { id: "00000000-0000-0000-0000-000000000000", username: "bare" }, ok: true });
    require("node:http").createServer((req, res) => {
      req.resume();
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      res.end(body);
    }).listen(${port}, "127.0.0.1", () => console.log("ready"));`;
  const child: ChildProcess = spawn(process.execPath, ["-e", code], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve) => child.stdout!.once("data", () => resolve()));
  return { url: `http://127.0.0.1:${port}/`, pid: child.pid!, stop: () => child.kill() };
}

/** Seeds the many keys straight into the database, before any server has it open (PGlite is one process). */
async function seedMany(db: Awaited<ReturnType<typeof freshDatabase>>, ownerId: string): Promise<string[]> {
  const saved = { url: process.env.DATABASE_URL, dir: process.env.LATCHKEY_DATA_DIR, secret: process.env.AUTH_SECRET };
  if (db.databaseUrl) Object.assign(process.env, { DATABASE_URL: db.databaseUrl, AUTH_SECRET: "bench-secret-bench-secret-bench-secret-01" });
  else delete process.env.DATABASE_URL;
  process.env.LATCHKEY_DATA_DIR = db.dataDir;
  resetProcessState("config");
  try {
    const handle = await getDatabase();
    const { secrets } = await seedKeys(execOf(handle), KEYS, ownerId);
    await execOf(handle)("analyze", []);
    return secrets;
  } finally {
    await closeDatabase();
    resetProcessState("config");
    for (const [name, value] of [["DATABASE_URL", saved.url], ["LATCHKEY_DATA_DIR", saved.dir], ["AUTH_SECRET", saved.secret]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** Presents every key once, 32 at a time, so that the rounds see a cache that holds the fleet. */
async function presentAll(url: string, secrets: string[]): Promise<number> {
  const started = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < secrets.length) {
      const res = await fetch(url, { headers: { authorization: `Bearer ${secrets[next++]!}` } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`a seeded key was answered ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  return (Date.now() - started) / 1000;
}

async function benchOne(label: string, useDatabaseUrl: boolean): Promise<Row[]> {
  const saved = process.env.DATABASE_URL;
  if (!useDatabaseUrl) delete process.env.DATABASE_URL;
  const db = await freshDatabase();
  if (saved !== undefined) process.env.DATABASE_URL = saved;
  const files = mkdtempSync(path.join(tmpdir(), "latchkey-bench-"));
  try {
    const seeded = seedDatabase(db, {
      users: [{ ref: "bench", name: "Bench User" }, { ref: "verifier", kind: "api_account" }],
      projects: [{ ref: "p1", name: "Billing" }, { ref: "p2", name: "Docs" }],
      memberships: [
        { user: "bench", project: "p1", role: "Editor" },
        { user: "bench", project: "p2", role: "Viewer" },
        { user: "verifier", project: "p1", role: "Admin" },
      ],
      keys: [{ ref: "k", user: "bench", name: "Bench" }, { ref: "v", user: "verifier", name: "Default" }],
    });
    process.stdout.write(`${label}: seeding ${KEYS.toLocaleString("en-US")} keys… `);
    const t = Date.now();
    const many = await seedMany(db, seeded.users.bench!.id);
    process.stdout.write(`${((Date.now() - t) / 1000).toFixed(1)} s\n`);
    const oneFile = path.join(files, "one.txt");
    const manyFile = path.join(files, "many.txt");
    writeFileSync(oneFile, seeded.keys.k!.secret + "\n");
    writeFileSync(manyFile, many.slice(0, ACTIVE).join("\n") + "\n");

    const server = await startServer({ API_RATE_LIMIT: "1000000000" }, db);
    const bare = await startBare();
    const stats = db.databaseUrl ? postgres(db.databaseUrl, { max: 1, onnotice: () => {} }) : undefined;
    const xacts = async () => (stats ? Number((await stats`select xact_commit from pg_stat_database where datname = current_database()`)[0]!.xact_commit) : 0);
    try {
      const meUrl = `${server.url}/api/v1/me`;
      const verifyUrl = `${server.url}/api/v1/keys/verify`;
      const verifier = seeded.keys.v!.secret;
      const check = await fetch(verifyUrl, { method: "POST", headers: { authorization: `Bearer ${verifier}`, "content-type": "application/json" }, body: JSON.stringify({ key: many[0] }) });
      const checked = (await check.json()) as { valid?: boolean };
      if (check.status !== 200 || !checked.valid) throw new Error(`POST /keys/verify answered ${check.status}: ${JSON.stringify(checked)}`);

      const scenarios: Record<string, Load> = {
        bare: { url: bare.url, pid: bare.pid, keysFile: oneFile },
        me: { url: meUrl, pid: server.pid, keysFile: oneFile },
        verify: { url: verifyUrl, pid: server.pid, method: "POST", keyIn: "body", auth: verifier, keysFile: oneFile },
        meMany: { url: meUrl, pid: server.pid, keysFile: manyFile },
        verifyMany: { url: verifyUrl, pid: server.pid, method: "POST", keyIn: "body", auth: verifier, keysFile: manyFile },
      };
      const names: Record<keyof typeof scenarios, string> = {
        bare: "bare node:http",
        me: "GET /me, one key",
        verify: "POST /keys/verify, one key",
        meMany: `GET /me, ${ACTIVE.toLocaleString("en-US")} keys`,
        verifyMany: `POST /keys/verify, ${ACTIVE.toLocaleString("en-US")} keys`,
      };

      /** One run of a scenario with the database's transactions per request (waits for Postgres's statistics). */
      const counted = async (s: Load, name: string): Promise<Row> => {
        const x0 = await xacts();
        const run = await load(s);
        await new Promise((r) => setTimeout(r, stats ? STATS_SETTLE_MS : 0));
        return { name, ...run, queries: stats ? ((await xacts()) - x0) / run.requests : undefined };
      };

      process.stdout.write(`${label}: many keys on an empty cache… `);
      const cold = await counted(scenarios.meMany!, `GET /me, ${ACTIVE.toLocaleString("en-US")} keys, cold`);
      process.stdout.write(`presenting all ${ACTIVE.toLocaleString("en-US")} once… `);
      const warmSeconds = await presentAll(meUrl, many.slice(0, ACTIVE));
      process.stdout.write(`${warmSeconds.toFixed(1)} s; warming up… `);
      for (const s of Object.values(scenarios)) await load(s, WARMUP);
      const runs: Record<string, Run[]> = Object.fromEntries(Object.keys(scenarios).map((k) => [k, []]));
      for (let round = 1; round <= ROUNDS; round++) {
        process.stdout.write(`round ${round}/${ROUNDS}… `);
        for (const [key, s] of Object.entries(scenarios)) runs[key]!.push(await load(s));
      }
      process.stdout.write(stats ? "counting queries… " : "");
      const queries: Record<string, number | undefined> = {};
      for (const key of ["me", "meMany", "verifyMany"]) queries[key] = (await counted(scenarios[key]!, key)).queries;
      process.stdout.write("\n");
      const rows = Object.keys(scenarios).map((key) => ({ ...summary(names[key]!, runs[key]!), queries: queries[key] }));
      return [...rows, cold];
    } finally {
      await stats?.end();
      bare.stop();
      await server.stop();
    }
  } finally {
    rmSync(files, { recursive: true, force: true });
    await db.drop();
  }
}

const fmt = (n: number, d = 0) => n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });

function print(label: string, rows: Row[]) {
  const [bare, me, verify, meMany, verifyMany, cold] = rows as [Row, Row, Row, Row, Row, Row];
  console.log(`\n${label}: ${KEYS.toLocaleString("en-US")} keys in the table, ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${DURATION} s (wrk), medians`);
  console.log(`${"".padEnd(38)}${"req/s".padStart(9)}${"x bare".padStart(8)}${"p50 ms".padStart(8)}${"p99 ms".padStart(8)}${"CPU µs/req".padStart(12)}${"queries/req".padStart(13)}${"non-2xx".padStart(9)}${"errors".padStart(8)}`);
  for (const r of rows) {
    const q = r.queries === undefined ? "–" : fmt(r.queries, 3);
    console.log(`${r.name.padEnd(38)}${fmt(r.rps).padStart(9)}${fmt(r.rps / bare.rps, 2).padStart(8)}${fmt(r.p50, 2).padStart(8)}${fmt(r.p99, 2).padStart(8)}${fmt(r.cpuUs, 1).padStart(12)}${q.padStart(13)}${String(r.non2xx).padStart(9)}${String(r.errors).padStart(8)}`);
  }
  const ok = (r: Row) => r.non2xx === 0 && r.errors === 0;
  const checks: [string, boolean][] = [
    [`GET /me ≥ 0.6x bare (${fmt(me.rps / bare.rps, 2)}) and p99 < 10 ms (${fmt(me.p99, 1)})`, me.rps / bare.rps >= 0.6 && me.p99 < 10 && ok(me)],
    [`POST /keys/verify ≥ 0.4x bare (${fmt(verify.rps / bare.rps, 2)}) and p99 < 10 ms (${fmt(verify.p99, 1)})`, verify.rps / bare.rps >= 0.4 && verify.p99 < 10 && ok(verify)],
    [`GET /me with many keys ≥ 0.4x one key (${fmt(meMany.rps / me.rps, 2)}) and p99 < 25 ms (${fmt(meMany.p99, 1)})`, meMany.rps / me.rps >= 0.4 && meMany.p99 < 25 && ok(meMany)],
    [`POST /keys/verify with many keys ≥ 0.4x one key (${fmt(verifyMany.rps / verify.rps, 2)}) and p99 < 25 ms (${fmt(verifyMany.p99, 1)})`, verifyMany.rps / verify.rps >= 0.4 && verifyMany.p99 < 25 && ok(verifyMany)],
  ];
  for (const [what, met] of checks) console.log(`  ${met ? "met    " : "NOT met"}  ${what}`);
  console.log(`  (cold: ${fmt(cold.rps / me.rps, 2)}x one key; every request of the cold run a cache miss or nearly)`);
}

async function main() {
  if (!existsSync(path.resolve(__dirname, "../.next/BUILD_ID"))) {
    console.error("No production build: run `npm run build` first (the benchmark builds nothing).");
    process.exit(1);
  }
  try {
    execFileSync("wrk", ["--version"], { stdio: "ignore" });
  } catch (error) {
    // wrk --version exits 1 after printing its version; only a missing binary is a problem.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      console.error("wrk is not installed: `apt-get install wrk` (Debian/Ubuntu).");
      process.exit(1);
    }
  }
  const results: [string, Row[]][] = [];
  if (args.only !== "postgres") results.push(["PGlite", await benchOne("PGlite", false)]);
  if (process.env.DATABASE_URL && args.only !== "pglite") results.push(["Postgres", await benchOne("Postgres", true)]);
  else if (args.only !== "pglite") console.log("DATABASE_URL is not set: Postgres skipped (set it to a server where this user may create databases).");
  for (const [label, rows] of results) print(label, rows);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
