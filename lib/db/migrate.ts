import "server-only";
import path from "node:path";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import postgres from "postgres";
import { getConfig } from "@/lib/config";
import { getDatabase } from "./client";

const MIGRATION_LOCK = 74_205_311; // any constant: one advisory lock shared by every instance

export const migrationsFolder = path.join(process.cwd(), "drizzle");

/** Applies the committed SQL migrations; several instances starting at once take turns. */
export async function runMigrations(): Promise<void> {
  const handle = await getDatabase();
  if (handle.kind === "pglite") {
    await migratePglite(handle.db as unknown as PgliteDatabase, { migrationsFolder });
    return;
  }
  // One connection, so that the advisory lock and the migration share a session.
  const sql = postgres(getConfig().databaseUrl!, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migratePostgres(drizzlePostgres(sql), { migrationsFolder });
  } finally {
    await sql.end({ timeout: 5 });
  }
}
