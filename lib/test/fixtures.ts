import { eq } from "drizzle-orm";
import { actorOf } from "@/lib/audit";
import type { Caller } from "@/lib/caller";
import { getDb } from "@/lib/db/client";
import { memberships, projects, roles, users } from "@/lib/db/schema";
import { insertHuman } from "@/lib/users";

let n = 0;

/** A person straight in the database, for tests of the layers above it. */
export async function makeUser(opts: { isOrgAdmin?: boolean; apiAccess?: boolean; name?: string } = {}) {
  const db = await getDb();
  const i = ++n;
  const email = `user${i}-${Math.random().toString(36).slice(2, 6)}@example.com`;
  const row = await db.transaction((tx) =>
    insertHuman(tx, { name: opts.name ?? `User ${i}`, email, password: "a-long-password-123", isOrgAdmin: opts.isOrgAdmin ?? false, apiAccess: opts.apiAccess ?? true }),
  );
  const [user] = await db.select().from(users).where(eq(users.id, row.id));
  return asCaller(user!);
}

/** A user row as the Caller of a console session from 127.0.0.1 (what the guards build), with its audit actor. */
export function asCaller<T extends Omit<Caller, "key" | "ip" | "userAgent">>(user: T, key: Caller["key"] = null) {
  const caller = { ...user, key, ip: "127.0.0.1", userAgent: "vitest" };
  return { ...caller, actor: actorOf(caller) };
}

export async function makeProject(name = `Project ${++n}`) {
  const db = await getDb();
  const [p] = await db.insert(projects).values({ name, slug: `${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${++n}` }).returning();
  return p!;
}

export async function builtInRole(name: "Admin" | "Editor" | "Viewer") {
  const db = await getDb();
  const [r] = await db.select().from(roles).where(eq(roles.name, name));
  return r!;
}

export async function addMember(userId: string, projectId: string, roleId: string) {
  const db = await getDb();
  await db.insert(memberships).values({ userId, projectId, roleId });
}

/** Where tests' verifications come from. */
export const TEST_CONTEXT = { ip: "127.0.0.1", userAgent: "vitest" };
