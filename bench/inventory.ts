import "@/lib/runtime/boot";
import { parseArgs } from "node:util";
import { asc, like } from "drizzle-orm";
import { systemCaller } from "@/lib/caller";
import { closeDatabase, getDatabase } from "@/lib/db/client";
import { runMigrations } from "@/lib/db/migrate";
import { projects } from "@/lib/db/schema";
import { exportKeyInventory, listKeyInventory } from "@/lib/keys/inventory";
import { inventoryQuerySchema } from "@/lib/keys/inventory-query";
import { execOf, seedKeys } from "./seed-keys";

/**
 * `npm run bench:inventory [-- --seed 100000] [--runs 15]`: times Global
 * Administration > API Keys (listKeyInventory: one page and its total, with
 * the page's projects and 30-day traffic) against the configured database.
 * `--seed N` first adds N keys (each of its own API account with two
 * projects, bench/seed-keys.ts), then gives them a spread of ages, uses,
 * expiries, revocations, restrictions, disabled owners and daily traffic, so
 * that every filter matches a realistic share. Prints numbers; asserts nothing.
 */
const { values: args } = parseArgs({ options: { runs: { type: "string", default: "15" }, seed: { type: "string", default: "0" }, export: { type: "boolean", default: false } } });
const RUNS = Number(args.runs);
const admin = systemCaller({ id: "00000000-0000-0000-0000-000000000000", kind: "human", username: "bench", email: null, name: "bench", isOrgAdmin: true, apiAccess: true, status: "active" });

async function seed(n: number) {
  const handle = await getDatabase();
  const exec = execOf(handle);
  const t = performance.now();
  // In slices: every statement must end within the client's statement timeout (lib/db/deadline.ts).
  for (let done = 0; done < n; done += 5_000) await seedKeys(exec, Math.min(5_000, n - done));
  const SLICES = 20;
  const sliced = async (text: string, column = "id") => {
    for (let i = 0; i < SLICES; i++) await exec(text.replace("$slice", `abs(hashtext(${column}::text)) % ${SLICES} = ${i}`), []);
  };
  // A spread: a third used in the last 30 days, a third 30–200 days ago, a third never; 10 % never expire,
  // 5 % expire within 30 days, 10 % revoked, 10 % restricted to one project, 2 % of owners disabled.
  await sliced(
    `update api_keys set
       created_at = now() - make_interval(days => (abs(hashtext(id::text)) % 400)),
       last_used_at = case abs(hashtext(id::text || 'u')) % 3 when 0 then now() - make_interval(days => abs(hashtext(id::text)) % 30)
                                                             when 1 then now() - make_interval(days => 30 + abs(hashtext(id::text)) % 170) end,
       expires_at = case when abs(hashtext(id::text || 'e')) % 10 = 0 then null
                         when abs(hashtext(id::text || 'e')) % 20 = 1 then now() + make_interval(days => abs(hashtext(id::text)) % 30)
                         else expires_at end,
       revoked_at = case when abs(hashtext(id::text || 'r')) % 10 = 0 then now() - interval '1 day' end
     where name like 'bench %' and $slice`,
  );
  await sliced(
    `update api_keys k set restriction = jsonb_build_array(jsonb_build_object('projectId', m.project_id::text, 'roleId', m.role_id::text))
       from memberships m where m.user_id = k.owner_id and abs(hashtext(k.id::text || 'x')) % 10 = 0 and k.restriction is null and $slice`,
    "k.id",
  );
  await exec(`update users set status = 'disabled' where username like 'bench-%' and abs(hashtext(id::text)) % 50 = 0`, []);
  await sliced(
    `insert into api_key_usage_daily (key_id, day, accepted, refused)
     select k.id, (now() at time zone 'utc')::date - d, 1 + abs(hashtext(k.id::text || d)) % 500, abs(hashtext(k.id::text || d)) % 3
       from api_keys k cross join generate_series(0, 29) d
      where k.last_used_at > now() - interval '30 days' and abs(hashtext(k.id::text || d)) % 3 = 0 and $slice
     on conflict do nothing`,
    "k.id",
  );
  await exec("analyze", []);
  console.log(`Seeded ${n.toLocaleString("en-US")} keys in ${((performance.now() - t) / 1000).toFixed(1)} s.`);
}

async function main() {
  const { db, kind } = await getDatabase();
  await runMigrations();
  if (Number(args.seed) > 0) await seed(Number(args.seed));
  const [project] = await db.select({ id: projects.id, name: projects.name }).from(projects).where(like(projects.slug, "bench-%")).orderBy(asc(projects.name)).limit(1);
  const first = await listKeyInventory(admin, inventoryQuerySchema.parse({}));
  const lastPage = Math.max(1, Math.ceil(first.total / 25));
  console.log(`Key inventory on ${kind === "pglite" ? "PGlite" : "PostgreSQL"}: ${first.total.toLocaleString("en-US")} keys, ${RUNS} runs each (after one warm-up).`);

  const cases: [string, Record<string, string>][] = [
    ["first page (newest first)", {}],
    ["first page, 100 rows", { size: "100" }],
    ["sorted by owner", { sort: "owner.asc" }],
    ["sorted by key name", { sort: "name.asc" }],
    ["sorted by last used, desc", { sort: "lastUsed.desc" }],
    ["sorted by expiry", { sort: "expires.asc" }],
    ["sorted by status", { sort: "status.asc" }],
    ["search 'bench 1a' (key name)", { q: "bench 1a" }],
    ["search 'lk_sa_Ab' (key start)", { q: "lk_sa_Ab" }],
    ["status = active", { status: "active" }],
    ["status = revoked", { status: "revoked" }],
    ["no expiry", { expiry: "none" }],
    ["expiring within 7 days", { expiry: "7" }],
    ["never used", { usage: "never" }],
    ["unused for 90 days", { usage: "90" }],
    ["owner disabled", { owner: "disabled" }],
    [`project = ${project?.name ?? "(none)"}`, project ? { project: project.id } : {}],
    ["project + unused 30 days + sort by owner", project ? { project: project.id, usage: "30", sort: "owner.asc" } : { usage: "30" }],
    [`last page (${lastPage.toLocaleString("en-US")})`, { page: String(lastPage) }],
  ];

  const rows: string[][] = [];
  for (const [label, params] of cases) {
    const query = inventoryQuerySchema.parse(params);
    const result = await listKeyInventory(admin, query);
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      await listKeyInventory(admin, query);
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
  if (args.export) {
    const t = performance.now();
    const { count, csv } = await exportKeyInventory(admin, inventoryQuerySchema.parse({}));
    console.log(`CSV export of all ${count.toLocaleString("en-US")} keys: ${((performance.now() - t) / 1000).toFixed(2)} s, ${(csv.length / 1e6).toFixed(1)} MB.`);
  }
  await closeDatabase();
}

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  await closeDatabase().catch(() => {});
  process.exit(1);
});
