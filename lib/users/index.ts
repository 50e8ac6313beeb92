import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Person } from "@/lib/caller";
import { STARTUP_ACTOR, writeAudit, type Actor } from "@/lib/audit";
import { hashPassword, verifyPassword } from "@/lib/users/hashing";
import { getDb, type Tx } from "@/lib/db/client";
import { processState } from "@/lib/process-state";
import { users } from "@/lib/db/schema";

/** What the console knows about the signed-in person: never a hash. */
export type SessionUser = Person & {
  mustChangePassword: boolean;
};

export const sessionUserColumns = {
  id: users.id,
  kind: users.kind,
  username: users.username,
  email: users.email,
  name: users.name,
  isOrgAdmin: users.isOrgAdmin,
  apiAccess: users.apiAccess,
  status: users.status,
  mustChangePassword: users.mustChangePassword,
};

export async function getSessionUser(id: string): Promise<SessionUser | undefined> {
  const db = await getDb();
  const [user] = await db.select(sessionUserColumns).from(users).where(eq(users.id, id)).limit(1);
  return user;
}

/** Once a first Global Admin exists, setup is never pending again (the last admin is protected). */
const setup = () => processState("users.setup", () => ({ done: false }));

/** True until the first Global Admin exists. Once one does, the answer never changes back (the last admin is protected). */
export async function isSetupPending(): Promise<boolean> {
  if (setup().done) return false;
  const db = await getDb();
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.isOrgAdmin, true), eq(users.kind, "human")))
    .limit(1);
  if (row) setup().done = true;
  return !row;
}

export class SetupClosedError extends Error {}
export class EmailTakenError extends Error {}

/** The username a person's email suggests: its local part, in the characters usernames allow. */
function usernameBase(email: string): string {
  return (
    email
      .split("@")[0]!
      .toLowerCase()
      .replace(/[^a-z0-9._-]/g, "-")
      .slice(0, 48) || "user"
  );
}

/** The first of `base`, `base-2`, `base-3`… that no committed user holds, from `n` on. */
async function freeUsername(tx: Tx, base: string, from: number): Promise<{ candidate: string; n: number }> {
  for (let n = from; ; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.username, candidate)).limit(1);
    if (!taken) return { candidate, n };
  }
}

export type NewHuman = {
  name: string;
  email: string;
  password: string;
  isOrgAdmin: boolean;
  apiAccess: boolean;
  mustChangePassword?: boolean;
};

export async function insertHuman(tx: Tx, input: NewHuman): Promise<{ id: string; username: string }> {
  const email = input.email.trim().toLowerCase();
  const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
  if (existing) throw new EmailTakenError("A user with this email already exists.");
  const passwordHash = await hashPassword(input.password);
  const base = usernameBase(email);
  // Two people whose emails share a local part, added at once, both find the same username free. The insert
  // claims it or, if another transaction got there first (the unique index waits for it), gives way and the
  // next free candidate is tried: no unique violation, no savepoint.
  for (let from = 1; ; ) {
    const { candidate, n } = await freeUsername(tx, base, from);
    const [row] = await tx
      .insert(users)
      .values({
        kind: "human",
        username: candidate,
        email,
        name: input.name.trim(),
        passwordHash,
        isOrgAdmin: input.isOrgAdmin,
        apiAccess: input.apiAccess,
        mustChangePassword: input.mustChangePassword ?? false,
      })
      .onConflictDoNothing({ target: users.username })
      .returning({ id: users.id, username: users.username });
    if (row) return row;
    from = n + 1;
  }
}

// Serializes first-run setup: two visitors racing for /setup cannot both become the first admin.
const SETUP_LOCK = 74_205_312;

export async function createFirstAdmin(
  input: { name: string; email: string; password: string },
  meta: Pick<Actor, "ip" | "userAgent">,
): Promise<{ id: string }> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SETUP_LOCK})`);
    const [admin] = await tx.select({ id: users.id }).from(users).where(eq(users.isOrgAdmin, true)).limit(1);
    if (admin) throw new SetupClosedError("Setup is already complete.");
    const user = await insertHuman(tx, { ...input, isOrgAdmin: true, apiAccess: true });
    await writeAudit(
      tx,
      { id: user.id, label: input.email.toLowerCase(), ...meta },
      { action: "setup.completed", targetType: "user", targetId: user.id, targetLabel: user.username },
    );
    setup().done = true;
    return { id: user.id };
  });
}

/**
 * ADMIN_EMAIL / ADMIN_PASSWORD: make sure that admin exists. Idempotent, and
 * it never overwrites a password that was changed in the console.
 */
export async function ensureAdminFromEnv(email: string, password: string): Promise<string> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SETUP_LOCK})`);
    const [existing] = await tx
      .select({ id: users.id, isOrgAdmin: users.isOrgAdmin, passwordHash: users.passwordHash, status: users.status })
      .from(users)
      .where(eq(users.email, email))
      .limit(1);
    const actor = STARTUP_ACTOR;
    if (!existing) {
      const user = await insertHuman(tx, { name: "Administrator", email, password, isOrgAdmin: true, apiAccess: true });
      await writeAudit(tx, actor, { action: "user.created", targetType: "user", targetId: user.id, targetLabel: email, details: { isOrgAdmin: true } });
      setup().done = true;
      return `Created Global Admin ${email} from ADMIN_EMAIL.`;
    }
    const notes: string[] = [];
    if (!existing.isOrgAdmin || existing.status !== "active") {
      await tx.update(users).set({ isOrgAdmin: true, status: "active", updatedAt: new Date() }).where(eq(users.id, existing.id));
      await writeAudit(tx, actor, { action: "user.roles_changed", targetType: "user", targetId: existing.id, targetLabel: email, details: { isOrgAdmin: true } });
      notes.push(`${email} made an active Global Admin from ADMIN_EMAIL.`);
    }
    if (!(await verifyPassword(existing.passwordHash, password))) {
      notes.push(`ADMIN_PASSWORD differs from ${email}'s current password, which was changed in the console; it was left as it is.`);
    }
    setup().done = true;
    return notes.join(" ") || `Global Admin ${email} from ADMIN_EMAIL is present.`;
  });
}
