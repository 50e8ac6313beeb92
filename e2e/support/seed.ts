/**
 * Puts people, projects, memberships and keys into a test database through
 * the same lib/ functions the console uses, before the server starts on it
 * (PGlite allows one process per directory). Run by `seedDatabase()` in
 * e2e/support/api.ts with the plan as JSON on stdin; prints what it made.
 */
import "../../lib/runtime/boot";
import { eq, sql } from "drizzle-orm";
import { closeDatabase, getDb } from "@/lib/db/client";
import { runMigrations } from "@/lib/db/migrate";
import { apiKeys, projects, roles, users } from "@/lib/db/schema";
import { systemCaller, type Caller } from "@/lib/caller";
import { createAccountKey } from "@/lib/keys/accounts";
import { changeKeys } from "@/lib/keys/invalidation";
import { createPersonalKey, revokeKey } from "@/lib/keys/personal";
import { addMember } from "@/lib/test/fixtures";
import { insertHuman } from "@/lib/users";
import { MARKER, type SeedPlan, type Seeded } from "./api";

async function main() {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const plan = JSON.parse(Buffer.concat(chunks).toString("utf8")) as SeedPlan;

  await runMigrations();
  const db = await getDb();
  const out: Seeded = { users: {}, projects: {}, roles: {}, keys: {} };
  for (const r of await db.select({ id: roles.id, name: roles.name }).from(roles)) out.roles[r.name] = r.id;

  // Each person as the Caller of a console session: keys are made as they would make them.
  const callers: Record<string, Caller> = {};
  for (const u of plan.users ?? []) {
    if (u.kind === "api_account") {
      const [row] = await db.insert(users).values({ kind: "api_account", username: u.ref, name: u.name ?? u.ref, apiAccess: true }).returning({ id: users.id });
      out.users[u.ref] = { id: row!.id, username: u.ref };
      continue;
    }
    const email = u.email ?? `${u.ref}@example.com`;
    const row = await db.transaction((tx) =>
      insertHuman(tx, { name: u.name ?? u.ref, email, password: u.password ?? "a-long-password-123", isOrgAdmin: !!u.isOrgAdmin, apiAccess: u.apiAccess ?? true }),
    );
    out.users[u.ref] = row;
    const person = { id: row.id, kind: "human" as const, username: row.username, email, name: u.name ?? u.ref, isOrgAdmin: !!u.isOrgAdmin, apiAccess: u.apiAccess ?? true, status: "active" as const };
    callers[u.ref] = systemCaller(person, { userAgent: "seed" });
  }
  for (const p of plan.projects ?? []) {
    const slug = p.slug ?? p.name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
    const [row] = await db.insert(projects).values({ name: p.name, slug }).returning({ id: projects.id, slug: projects.slug });
    out.projects[p.ref] = row!;
  }
  for (const m of plan.memberships ?? []) {
    await addMember(out.users[m.user]!.id, out.projects[m.project]!.id, out.roles[m.role]!);
  }
  for (const k of plan.keys ?? []) {
    const owner = out.users[k.user]!;
    const [u] = await db.select().from(users).where(eq(users.id, owner.id));
    let id: string;
    let secret: string;
    if (u!.kind === "api_account") {
      ({ id } = await changeKeys((tx, invalidate) => createAccountKey(tx, invalidate, owner.id, null)));
      const [row] = await db.select({ encryptedSecret: apiKeys.encryptedSecret }).from(apiKeys).where(eq(apiKeys.id, id));
      const { open } = await import("@/lib/keys/secret-box");
      secret = open(row!.encryptedSecret!, id);
    } else {
      const restriction = k.restriction?.map((r) => ({ projectId: out.projects[r.project]!.id, roleId: out.roles[r.role]! })) ?? null;
      const created = await createPersonalKey(callers[k.user]!, { name: k.name, expiresInDays: k.expiresInDays === undefined ? 90 : k.expiresInDays, restriction });
      ({ id } = created.key);
      secret = created.secret;
    }
    if (k.expired) await db.update(apiKeys).set({ expiresAt: sql`now() - interval '1 day'` }).where(eq(apiKeys.id, id));
    if (k.revoked) await revokeKey(callers[k.user]!, id);
    out.keys[k.ref] = { id, secret };
  }
  for (const u of plan.users ?? []) {
    if (u.disabled) await db.update(users).set({ status: "disabled" }).where(eq(users.id, out.users[u.ref]!.id));
  }
  await closeDatabase();
  process.stdout.write(`\n${MARKER}${JSON.stringify(out)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
