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

export type ProjectAnswer = { id: string; slug: string; name: string; role: string; permissions: string[] };
/** GET /api/v1/me's answer, or a problem's `code` and `detail` when the key is refused. */
export type MeAnswer = {
  owner?: { id: string; username: string; name: string; kind: "human" | "api_account"; email: string | null; isOrgAdmin: boolean };
  key?: { id: string; name: string; kind: "pat" | "sa"; restricted: boolean; expiresAt?: string | null };
  projects?: ProjectAnswer[];
  code?: string;
  detail?: string;
};

/** What a script holding `key` is told by the running server's GET /api/v1/me. */
export async function getMe(baseUrl: string, key: string): Promise<{ status: number; body: MeAnswer }> {
  const res = await fetch(`${baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${key}` } });
  return { status: res.status, body: (await res.json()) as MeAnswer };
}

/** "200" for a key that works, else the status and the problem's code ("401 key_revoked"): one line to compare. */
export async function keyAnswer(baseUrl: string, key: string): Promise<string> {
  const { status, body } = await getMe(baseUrl, key);
  return status === 200 ? "200" : `${status} ${body.code}`;
}

/** POST /api/v1/keys/verify, asked by the holder of `callerKey` (a backend checking a key it received). */
export async function verifyKeyWith(
  baseUrl: string,
  callerKey: string,
  question: { key: string; project?: string; permission?: string },
): Promise<{ status: number; body: { valid?: boolean; code?: string; detail?: string; projects?: ProjectAnswer[] } }> {
  const res = await fetch(`${baseUrl}/api/v1/keys/verify`, {
    method: "POST",
    headers: { authorization: `Bearer ${callerKey}`, "content-type": "application/json" },
    body: JSON.stringify(question),
  });
  return { status: res.status, body: (await res.json()) as { valid?: boolean; code?: string; detail?: string; projects?: ProjectAnswer[] } };
}
