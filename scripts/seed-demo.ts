import "@/lib/runtime/boot";
import { parseArgs } from "node:util";
import { inArray, like, sql } from "drizzle-orm";
import { hashPassword } from "@/lib/users/hashing";
import { closeDatabase, getDatabase } from "@/lib/db/client";
import { runMigrations } from "@/lib/db/migrate";
import { projects, roles, users } from "@/lib/db/schema";
import { createAccountKey } from "@/lib/keys/accounts";
import { changeKeys } from "@/lib/keys/invalidation";
import { slugify } from "@/lib/projects/schemas";

/**
 * `npm run seed:demo -- --users 100000 [--projects 60]`: fills the configured
 * database (DATABASE_URL or LATCHKEY_DATA_DIR; stop the server first on PGlite)
 * with people, API accounts (one in twenty, each with its key), projects and
 * memberships, in set-based batches. Running it again adds more.
 */
const { values: args } = parseArgs({
  options: { users: { type: "string", default: "1000" }, projects: { type: "string", default: "60" }, batch: { type: "string", default: "5000" } },
});
const TOTAL = Number(args.users);
const PROJECTS = Number(args.projects);
const BATCH = Number(args.batch);
const DEMO_PASSWORD = "demo-password-123";
const DEMO_DOMAIN = "demo.example";

const FIRST = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Margaret", "Linus", "Radia", "Ken", "Frances", "Dennis", "Katherine", "John", "Hedy", "Tim", "Sophie", "Guido", "Anita", "Bjarne", "Shafi", "Leslie", "Karen", "Niklaus", "Mary", "James", "Lynn", "Yukihiro", "Joan", "Brian"];
const LAST = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Hamilton", "Torvalds", "Perlman", "Thompson", "Allen", "Ritchie", "Johnson", "McCarthy", "Lamarr", "Berners-Lee", "Wilson", "van Rossum", "Borg", "Stroustrup", "Goldwasser", "Lamport", "Jones", "Wirth", "Keller", "Gosling", "Conway", "Matsumoto", "Clarke", "Kernighan", "Smith", "Garcia", "Nguyen", "Okafor", "Schmidt"];
const AREA = ["Billing", "Search", "Payments", "Identity", "Reporting", "Inventory", "Shipping", "Analytics", "Catalog", "Messaging", "Docs", "Support"];
const KIND = ["API", "Service", "Pipeline", "Warehouse", "Gateway"];

const pgArray = (items: string[]) => `{${items.join(",")}}`;
// postgres.js answers execute() with the rows, PGlite with { rows }.
const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : (result as { rows: T[] }).rows);

async function main() {
  if (!Number.isInteger(TOTAL) || TOTAL < 1) throw new Error("--users must be a positive whole number.");
  const started = Date.now();
  const { db, kind } = await getDatabase();
  await runMigrations();
  console.log(`Seeding ${TOTAL.toLocaleString("en-US")} users into ${kind === "pglite" ? "PGlite" : "PostgreSQL"}…`);

  const wanted = Array.from({ length: PROJECTS }, (_, i) => `${AREA[i % AREA.length]} ${KIND[Math.floor(i / AREA.length) % KIND.length]}${i >= AREA.length * KIND.length ? ` ${Math.floor(i / (AREA.length * KIND.length)) + 1}` : ""}`);
  await db.insert(projects).values(wanted.map((name) => ({ name, slug: `demo-${slugify(name)}` }))).onConflictDoNothing();
  const projectIds = (await db.select({ id: projects.id }).from(projects).where(like(projects.slug, "demo-%"))).map((p) => p.id);
  const roleIds = (await db.select({ id: roles.id }).from(roles).where(inArray(roles.name, ["Admin", "Editor", "Viewer"]))).map((r) => r.id);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const existing = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from ${users}`))[0]!.n;
  const firstNames = pgArray(FIRST);
  const lastNames = pgArray(LAST.map((l) => `"${l}"`));

  for (let from = existing + 1; from <= existing + TOTAL; from += BATCH) {
    const to = Math.min(from + BATCH - 1, existing + TOTAL);
    const inserted = await changeKeys(async (tx, invalidate) => {
      const list = rowsOf<{ id: string; kind: string }>(await tx.execute(sql`
        with g as (
          select i,
            (${firstNames}::text[])[1 + (i * 7) % ${FIRST.length}] as first,
            (${lastNames}::text[])[1 + (i * 13) % ${LAST.length}] as last,
            i % 20 = 0 as account,
            random() * 1095 as age
          from generate_series(${from}::int, ${to}::int) as i
        )
        insert into ${users} (kind, username, email, name, password_hash, api_access, status, created_at, updated_at, last_active_at)
        select
          case when account then 'api_account' else 'human' end,
          case when account then 'svc-' || lower(last) || '-' || i else lower(regexp_replace(first || '.' || last, '[^A-Za-z.]', '', 'g')) || i end,
          case when account then null else lower(regexp_replace(first || '.' || last, '[^A-Za-z.]', '', 'g')) || i || '@' || ${DEMO_DOMAIN} end,
          case when account then 'svc-' || lower(last) || '-' || i else first || ' ' || last end,
          case when account then null else ${passwordHash} end,
          account or i % 3 = 0,
          case when i % 19 = 0 then 'disabled' else 'active' end,
          now() - make_interval(days => age::int, secs => (i % 86400)),
          now(),
          case when i % 10 < 3 then null else now() - make_interval(days => (age * random())::int, secs => (i % 3600)) end
        from g
        on conflict do nothing
        returning id, kind`));
      if (list.length && projectIds.length) {
        // One to three projects each, spread over all demo projects, with a built-in role.
        await tx.execute(sql`
          insert into memberships (user_id, project_id, role_id)
          select u.id,
            (${pgArray(projectIds)}::uuid[])[1 + (abs(hashtext(u.id::text)) + k * 17) % ${projectIds.length}],
            (${pgArray(roleIds)}::uuid[])[1 + (abs(hashtext(u.id::text)) + k) % ${roleIds.length}]
          from unnest(${pgArray(list.map((r) => r.id))}::uuid[]) as u(id), generate_series(0, 2) as k
          where k <= abs(hashtext(u.id::text)) % 3
          on conflict do nothing`);
      }
      for (const account of list.filter((r) => r.kind === "api_account")) await createAccountKey(tx, invalidate, account.id, null);
      return list.length;
    });
    console.log(`  users ${from.toLocaleString("en-US")}–${to.toLocaleString("en-US")}: ${inserted} inserted (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
  // Sets the visibility map too, so that deep pages are index-only walks from the start.
  await db.execute(sql`vacuum analyze ${users}`);
  const total = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from ${users}`))[0]!.n;
  console.log(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${total.toLocaleString("en-US")} users in all, ${projectIds.length} demo projects. Demo people sign in with ${DEMO_PASSWORD}.`);
  await closeDatabase();
}

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  await closeDatabase().catch(() => {});
  process.exit(1);
});
