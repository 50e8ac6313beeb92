/**
 * `npm run bench`: GET /api/v1/me with a valid key against the production
 * server, next to a bare node:http server answering constant JSON, on PGlite
 * and (when DATABASE_URL is set) on Postgres. Not part of `npm test`.
 *
 * Builds nothing: run `npm run build` first. Each server runs in its own
 * process; autocannon runs in this one, over loopback, 32 connections, in
 * rounds that alternate between the two servers. Besides req/s it reports
 * each server's CPU time per request, read from /proc.
 * The server's per-key rate limit is raised for the run, or the benchmark
 * would measure 429s after the first 600 requests.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import autocannon, { type Result } from "autocannon";
import { seedDatabase } from "../e2e/support/api";
import { freePort, freshDatabase, startServer } from "../e2e/support/server";

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP = 3;

type Run = { rps: number; p50: number; p99: number; cpuUs: number; non2xx: number; errors: number };
type Row = Run & { name: string };

/** CPU seconds (user + system) of a process and its descendants, in µs; 0 where there is no /proc. */
function cpuOf(rootPid: number): number {
  if (!existsSync("/proc/self/stat")) return 0;
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

/** One timed load, with the server's CPU time per request (steadier than req/s on a shared machine). */
async function load(url: string, pid: number, headers: Record<string, string> = {}, duration = DURATION): Promise<Run> {
  const before = cpuOf(pid);
  const r: Result = await autocannon({ url, connections: CONNECTIONS, duration, headers });
  const cpuUs = (cpuOf(pid) - before) / Math.max(1, r.requests.total);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, cpuUs, non2xx: r.non2xx, errors: r.errors + r.timeouts };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The median of each figure over the rounds; refusals and errors summed. */
function summary(name: string, runs: Run[]): Row {
  const sum = (f: (r: Run) => number) => runs.reduce((total, r) => total + f(r), 0);
  return {
    name,
    rps: median(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    cpuUs: median(runs.map((r) => r.cpuUs)),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
  };
}

/** A node:http server in its own process, as small as a server gets: the yardstick. */
async function startBare(): Promise<{ url: string; pid: number; stop: () => void }> {
  const port = await freePort();
  const code = `
    const body = JSON.stringify({ owner: { id: "00000000-0000-0000-0000-000000000000", username: "bare" }, ok: true });
    require("node:http").createServer((req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      res.end(body);
    }).listen(${port}, "127.0.0.1", () => console.log("ready"));`;
  const child: ChildProcess = spawn(process.execPath, ["-e", code], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve) => child.stdout!.once("data", () => resolve()));
  return { url: `http://127.0.0.1:${port}/`, pid: child.pid!, stop: () => child.kill() };
}

async function benchOne(label: string, useDatabaseUrl: boolean): Promise<Row[]> {
  const saved = process.env.DATABASE_URL;
  if (!useDatabaseUrl) delete process.env.DATABASE_URL;
  const db = await freshDatabase();
  if (saved !== undefined) process.env.DATABASE_URL = saved;
  try {
    const seeded = seedDatabase(db, {
      users: [{ ref: "bench", name: "Bench User" }],
      projects: [{ ref: "p1", name: "Billing" }, { ref: "p2", name: "Docs" }],
      memberships: [
        { user: "bench", project: "p1", role: "Editor" },
        { user: "bench", project: "p2", role: "Viewer" },
      ],
      keys: [{ ref: "k", user: "bench", name: "Bench" }],
    });
    const headers = { authorization: `Bearer ${seeded.keys.k!.secret}` };
    const server = await startServer({ API_RATE_LIMIT: "1000000000" }, db);
    const bare = await startBare();
    try {
      const meUrl = `${server.url}/api/v1/me`;
      const check = await fetch(meUrl, { headers });
      if (check.status !== 200) throw new Error(`GET /api/v1/me answered ${check.status}: ${await check.text()}`);
      process.stdout.write(`${label}: warming up… `);
      await load(meUrl, server.pid, headers, WARMUP);
      await load(bare.url, bare.pid, {}, WARMUP);
      // Rounds alternate between the two servers, so that a noisy moment on the machine hits both.
      const bareRuns: Run[] = [];
      const meRuns: Run[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        process.stdout.write(`round ${round}/${ROUNDS}… `);
        bareRuns.push(await load(bare.url, bare.pid));
        meRuns.push(await load(meUrl, server.pid, headers));
      }
      process.stdout.write("\n");
      return [summary(`bare node:http (${label} run)`, bareRuns), summary(`GET /api/v1/me on ${label}`, meRuns)];
    } finally {
      bare.stop();
      await server.stop();
    }
  } finally {
    await db.drop();
  }
}

function print(pairs: Row[][]) {
  const fmt = (n: number, d = 0) => n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
  console.log(`\n${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${DURATION} s, loopback; medians over the rounds\n`);
  console.log(`${"".padEnd(34)}${"req/s".padStart(10)}${"p50 ms".padStart(9)}${"p99 ms".padStart(9)}${"CPU µs/req".padStart(12)}${"non-2xx".padStart(9)}${"errors".padStart(8)}`);
  for (const [bare, me] of pairs) {
    for (const r of [bare!, me!]) {
      const cpu = r.cpuUs ? fmt(r.cpuUs, 1) : "–";
      console.log(`${r.name.padEnd(34)}${fmt(r.rps).padStart(10)}${fmt(r.p50).padStart(9)}${fmt(r.p99).padStart(9)}${cpu.padStart(12)}${String(r.non2xx).padStart(9)}${String(r.errors).padStart(8)}`);
    }
    const ratio = me!.rps / bare!.rps;
    const ok = ratio >= 0.5 && me!.p99 < 10 && me!.non2xx === 0 && me!.errors === 0;
    console.log(`${"  ratio (me / bare)".padEnd(34)}${`${fmt(ratio * 100, 1)} %`.padStart(10)}   target ≥ 50 % and p99 < 10 ms: ${ok ? "met" : "NOT met"}\n`);
  }
}

async function main() {
  if (!existsSync(path.resolve(__dirname, "../.next/BUILD_ID"))) {
    console.error("No production build: run `npm run build` first (the benchmark builds nothing).");
    process.exit(1);
  }
  const pairs: Row[][] = [await benchOne("PGlite", false)];
  if (process.env.DATABASE_URL) pairs.push(await benchOne("Postgres", true));
  else console.log("DATABASE_URL is not set: Postgres skipped (set it to a server where this user may create databases).");
  print(pairs);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
