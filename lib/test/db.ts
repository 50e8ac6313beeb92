import { afterAll, beforeAll } from "vitest";
import { closeDatabase, getDatabase } from "@/lib/db/client";
import { runMigrations } from "@/lib/db/migrate";
import { listenForInvalidations } from "@/lib/keys/invalidation";
import { resetProcessState } from "@/lib/process-state";
import { createFreshDatabase } from "./fresh-database";

const TEST_SECRET = "test-secret-test-secret-test-secret-0123456789";

/**
 * Gives the calling test file a fresh, migrated database (lib/test/fresh-database.ts,
 * the same one the end-to-end servers get): a new PGlite directory, or, when
 * DATABASE_URL is set, a new database on that server, dropped when the file is done.
 */
export function withFreshDatabase(): { kind: () => "pglite" | "postgres" } {
  const base = process.env.DATABASE_URL;
  let drop: () => Promise<void> = async () => {};
  let kind: "pglite" | "postgres" = base ? "postgres" : "pglite";
  beforeAll(async () => {
    await closeDatabase();
    resetProcessState("config");
    const db = await createFreshDatabase("latchkey-test", base);
    drop = db.drop;
    if (db.databaseUrl) {
      process.env.DATABASE_URL = db.databaseUrl;
      process.env.AUTH_SECRET = TEST_SECRET;
    } else process.env.LATCHKEY_DATA_DIR = db.dataDir;
    kind = (await getDatabase()).kind;
    await runMigrations();
    // As the server does at start: on Postgres the verification cache answers only while it hears other instances.
    await listenForInvalidations();
  });
  afterAll(async () => {
    await closeDatabase();
    resetProcessState("config");
    if (base) process.env.DATABASE_URL = base;
    await drop();
  });
  return { kind: () => kind };
}
