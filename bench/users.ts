import "@/lib/runtime/boot";
import { systemCaller } from "@/lib/caller";
import { parseArgs } from "node:util";
import { asc, like } from "drizzle-orm";
import { closeDatabase, getDatabase } from "@/lib/db/client";
import { projects, users } from "@/lib/db/schema";
import { listUsers } from "@/lib/users/admin";
import { userListQuerySchema } from "@/lib/users/schemas";

/**
 * `npm run bench:users [-- --runs 15]`: times the Users table's queries
 * (listUsers: page rows, their memberships and keys, and the total) against
 * the configured database, typically after `npm run seed:demo -- --users 100000`.
 * Prints numbers; asserts nothing.
 */
const { values: args } = parseArgs({ options: { runs: { type: "string", default: "15" } } });
const RUNS = Number(args.runs);
// Reads only: a Global Admin's console session, as the Users page calls listUsers.
const admin = systemCaller({ id: "00000000-0000-0000-0000-000000000000", kind: "human", username: "bench", email: null, name: "bench", isOrgAdmin: true, apiAccess: true, status: "active" });

async function main() {
  const { db, kind } = await getDatabase();
  const [project] = await db.select({ id: projects.id, name: projects.name }).from(projects).where(like(projects.slug, "demo-%")).orderBy(asc(projects.name)).limit(1);
  const first = await listUsers(admin, userListQuerySchema.parse({}));
  const [rare] = await db.select({ username: users.username }).from(users).orderBy(asc(users.createdAt)).offset(Math.floor(first.total / 2)).limit(1);
  const lastPage = Math.max(1, Math.ceil(first.total / 25));
  console.log(`Users table on ${kind === "pglite" ? "PGlite" : "PostgreSQL"}: ${first.total.toLocaleString("en-US")} users, ${RUNS} runs each (after one warm-up).`);

  const cases: [string, Record<string, string>][] = [
    ["first page (newest first)", {}],
    ["first page, 100 rows", { size: "100" }],
    ["sorted by name", { sort: "name.asc" }],
    ["sorted by last active, desc", { sort: "lastActive.desc" }],
    ["search 'lovelace' (common)", { q: "lovelace" }],
    [`search '${rare?.username ?? "nobody"}' (one user)`, { q: rare?.username ?? "nobody" }],
    ["search 'demo.example' (matches nearly all)", { q: "demo.example" }],
    ["search 'zz' (2 chars, no trigram)", { q: "zz" }],
    ["type = API account", { type: "api_account" }],
    ["status = disabled", { status: "disabled" }],
    [`project = ${project?.name ?? "(none)"}`, project ? { project: project.id } : {}],
    ["project + search + sort by name", project ? { project: project.id, q: "smith", sort: "name.asc" } : { q: "smith" }],
    ["page 200 (offset 4,975)", { page: "200" }],
    [`last page (${lastPage.toLocaleString("en-US")})`, { page: String(lastPage) }],
    ["last page sorted by name", { page: String(lastPage), sort: "name.asc" }],
  ];

  const rows: string[][] = [];
  for (const [label, params] of cases) {
    const query = userListQuerySchema.parse(params);
    const result = await listUsers(admin, query);
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      await listUsers(admin, query);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
    rows.push([label, result.total.toLocaleString("en-US"), pct(0.5).toFixed(1), pct(0.95).toFixed(1), times[times.length - 1]!.toFixed(1)]);
  }
  const header = ["query", "matches", "median ms", "p95 ms", "max ms"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(line(r));
  await closeDatabase();
}

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  await closeDatabase().catch(() => {});
  process.exit(1);
});
