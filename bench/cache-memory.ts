/**
 * `npm run bench:cache-memory [-- --keys 200000 --owners each|one]`: the heap
 * one cached verification takes. Seeds N real keys (bench/seed-keys.ts) in a
 * fresh database (PGlite, or a new database in DATABASE_URL's Postgres),
 * verifies each once through lib/keys/verify (so the cache holds exactly what
 * a server's would: the resolved record, its derived answer, the indexes by
 * key and owner), and reports the heap grown per key after a full GC.
 * `--owners each` (the default) gives every key its own owner with two
 * project memberships, the case where entries share nothing.
 */
import "@/lib/runtime/boot";
import { parseArgs } from "node:util";
import { closeDatabase, getDatabase } from "@/lib/db/client";
import { runMigrations } from "@/lib/db/migrate";
import { keyCache } from "@/lib/keys/invalidation";
import { verifyKey } from "@/lib/keys/verify";
import { createFreshDatabase } from "@/lib/test/fresh-database";
import { execOf, seedKeys } from "./seed-keys";

const { values: args } = parseArgs({ options: { keys: { type: "string", default: "200000" }, owners: { type: "string", default: "each" } } });
const N = Number(args.keys);
const IN_FLIGHT = 32;

const gc = (globalThis as { gc?: () => void }).gc;
const heapAfterGc = () => {
  for (let i = 0; i < 3; i++) gc!();
  return process.memoryUsage().heapUsed;
};

async function main() {
  if (!gc) throw new Error("Run with node --expose-gc (npm run bench:cache-memory does).");
  const db = await createFreshDatabase("latchkey-bench");
  process.env.KEY_CACHE_MAX_ENTRIES ??= String(Math.max(N, 1_000));
  if (db.databaseUrl) {
    process.env.DATABASE_URL = db.databaseUrl;
    process.env.AUTH_SECRET ??= "bench-secret-bench-secret-bench-secret-01";
  } else {
    delete process.env.DATABASE_URL;
    process.env.LATCHKEY_DATA_DIR = db.dataDir;
  }
  try {
    const handle = await getDatabase();
    await runMigrations();
    // Not listening for other instances: a heartbeat delayed by a busy machine would empty the cache mid-fill.
    const exec = execOf(handle);
    const owner =
      args.owners === "one"
        ? ((await exec(`insert into users (kind, username, name, api_access) values ('human', 'bench', 'Bench', true) returning id`, []))[0]!.id as string)
        : undefined;
    const started = Date.now();
    const { secrets } = await seedKeys(exec, N, owner);
    console.log(`${handle.kind}: seeded ${N.toLocaleString("en-US")} keys (${args.owners === "one" ? "one owner" : "each its own owner, two memberships"}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const cache = keyCache();
    const before = heapAfterGc();
    const ctx = { ip: "127.0.0.1", userAgent: null };
    let next = 0;
    let invalid = 0;
    const worker = async () => {
      while (next < secrets.length) {
        const result = await verifyKey(secrets[next++]!, ctx);
        if (!result.valid) invalid++;
      }
    };
    const filling = Date.now();
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const seconds = (Date.now() - filling) / 1000;
    const after = heapAfterGc();
    if (invalid) throw new Error(`${invalid} seeded keys did not verify`);
    if (cache.size !== N) throw new Error(`the cache holds ${cache.size} entries, not ${N}: something emptied it during the fill`);
    const perKey = (after - before) / cache.size;
    console.log(`filled the cache with ${cache.size.toLocaleString("en-US")} entries in ${seconds.toFixed(1)} s (${Math.round(N / seconds).toLocaleString("en-US")} cache misses/s)`);
    console.log(`heap: ${((after - before) / 2 ** 20).toFixed(1)} MiB for ${cache.size.toLocaleString("en-US")} keys = ${Math.round(perKey).toLocaleString("en-US")} bytes per cached key`);
    console.log(`200,000 keys would take ${((perKey * 200_000) / 2 ** 20).toFixed(0)} MiB; 1,000,000 keys ${((perKey * 1_000_000) / 2 ** 20).toFixed(0)} MiB`);
  } finally {
    await closeDatabase();
    await db.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
