import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll } from "vitest";
import { closeDatabase, getDatabase } from "@/lib/db/client";
import { runMigrations } from "@/lib/db/migrate";

const TEST_SECRET = "test-secret-test-secret-test-secret-0123456789";

/**
 * Gives the calling test file a fresh, migrated database: a new PGlite
 * directory, or, when DATABASE_URL is set, a new database on that server,
 * dropped when the file is done.
 */
export function withFreshDatabase(): { kind: () => "pglite" | "postgres" } {
  const base = process.env.DATABASE_URL;
  let cleanup: () => Promise<void> = async () => {};
  let kind: "pglite" | "postgres" = base ? "postgres" : "pglite";
  beforeAll(async () => {
    await closeDatabase();
    (globalThis as { __latchkeyConfig?: unknown }).__latchkeyConfig = undefined;
    if (base) {
      const name = `latchkey_test_${process.pid}_${Date.now()}_${Math.random().toString(36).slice(2, 7)}`;
      const admin = postgres(base, { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database ${name}`);
      await admin.end();
      const url = new URL(base);
      url.pathname = `/${name}`;
      process.env.DATABASE_URL = url.toString();
      process.env.AUTH_SECRET = TEST_SECRET;
      cleanup = async () => {
        process.env.DATABASE_URL = base;
        const a = postgres(base, { max: 1, onnotice: () => {} });
        await a.unsafe(`drop database if exists ${name} with (force)`);
        await a.end();
      };
    } else {
      const dir = mkdtempSync(path.join(tmpdir(), "latchkey-test-"));
      process.env.LATCHKEY_DATA_DIR = dir;
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    }
    kind = (await getDatabase()).kind;
    await runMigrations();
  });
  afterAll(async () => {
    await closeDatabase();
    (globalThis as { __latchkeyConfig?: unknown }).__latchkeyConfig = undefined;
    await cleanup();
  });
  return { kind: () => kind };
}
