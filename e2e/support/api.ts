import { execFileSync } from "node:child_process";
import path from "node:path";
import type { freshDatabase } from "./server";

export const MARKER = "LATCHKEY_SEEDED:";

export type SeedPlan = {
  users?: { ref: string; name?: string; email?: string; password?: string; isOrgAdmin?: boolean; apiAccess?: boolean; kind?: "human" | "api_account"; disabled?: boolean }[];
  projects?: { ref: string; name: string; slug?: string }[];
  memberships?: { user: string; project: string; role: "Admin" | "Editor" | "Viewer" }[];
  keys?: { ref: string; user: string; name: string; expiresInDays?: number | null; restriction?: { project: string; role: string }[]; expired?: boolean; revoked?: boolean }[];
};

export type Seeded = {
  users: Record<string, { id: string; username: string }>;
  projects: Record<string, { id: string; slug: string }>;
  roles: Record<string, string>;
  keys: Record<string, { id: string; secret: string }>;
};

/** Seeds a database that no server has open yet (see seed.ts); returns ids and key secrets by ref. */
export function seedDatabase(db: Awaited<ReturnType<typeof freshDatabase>>, plan: SeedPlan): Seeded {
  const root = path.resolve(__dirname, "../..");
  const stdout = execFileSync(process.execPath, [require.resolve("tsx/cli"), "e2e/support/seed.ts"], {
    cwd: root,
    input: JSON.stringify(plan),
    env: {
      ...process.env,
      LATCHKEY_DATA_DIR: db.dataDir,
      ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl, AUTH_SECRET: E2E_AUTH_SECRET } : { DATABASE_URL: "" }),
    },
    encoding: "utf8",
  });
  const line = stdout.split("\n").find((l) => l.startsWith(MARKER));
  if (!line) throw new Error(`seed printed nothing:\n${stdout}`);
  return JSON.parse(line.slice(MARKER.length)) as Seeded;
}

/** The AUTH_SECRET startServer() gives a Postgres-backed server (API-account keys are sealed under it). */
export const E2E_AUTH_SECRET = "e2e-secret-e2e-secret-e2e-secret-0123";
