import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";

export type FreshDatabase = {
  /** A new, empty directory: PGlite's data lives here when `databaseUrl` is unset. */
  dataDir: string;
  /** A new database on the Postgres server named by DATABASE_URL, when it is set. */
  databaseUrl?: string;
  drop: () => Promise<void>;
};

/**
 * A database nobody else uses, for one test file (Vitest) or one test server
 * (Playwright): a new PGlite directory, or, when DATABASE_URL is set, a new
 * database on that Postgres, dropped afterwards.
 */
export async function createFreshDatabase(prefix: string, base = process.env.DATABASE_URL): Promise<FreshDatabase> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `${prefix}-`));
  const removeDir = () => rmSync(dataDir, { recursive: true, force: true });
  if (!base) return { dataDir, drop: async () => removeDir() };
  const name = `${prefix.replace(/\W/g, "_")}_${process.pid}_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    dataDir,
    databaseUrl: url.toString(),
    drop: async () => {
      removeDir();
      const a = postgres(base, { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await a.end();
      }
    },
  };
}
