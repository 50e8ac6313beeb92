import "server-only";
import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { runMigrations } from "@/lib/db/migrate";
import { listenForInvalidations } from "@/lib/keys/invalidation";
import { ensureAdminFromEnv, isSetupPending } from "@/lib/users";

/** Everything the server needs before it takes a request: database, schema, first admin. */
export async function prepareDatabase(log: (line: string) => void): Promise<void> {
  const config = getConfig();
  const { kind } = await getDatabase();
  log(kind === "pglite" ? `Database: embedded PGlite in ${config.dataDir}` : "Database: PostgreSQL (DATABASE_URL)");
  await runMigrations();
  // Other instances' revocations and role changes reach this process's verification cache at once.
  await listenForInvalidations();
  if (config.adminEmail && config.adminPassword) {
    log(await ensureAdminFromEnv(config.adminEmail, config.adminPassword));
  }
}

export async function describeReadiness(baseUrl: string): Promise<string> {
  return (await isSetupPending())
    ? `Setup pending: open ${baseUrl}/setup to create the first Global Admin.`
    : `Sign in at ${baseUrl}/login`;
}
