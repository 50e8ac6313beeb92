import "server-only";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Caller } from "@/lib/caller";
import { getDb } from "@/lib/db/client";
import { memberships, projects, roles, users } from "@/lib/db/schema";
import { assertGlobalAdmin } from "@/lib/policy";
import { isWithin } from "@/lib/policy/permissions";

export type RoleChoice = { id: string; name: string };

/** One of my projects, my role there, and the roles I may give a key for it (never more than mine). */
export type KeyProjectOption = {
  projectId: string;
  projectName: string;
  roleId: string;
  roleName: string;
  grantableRoles: RoleChoice[];
};

/** The options of each of `userIds` (only those also matching `where`), in project-name order, the member's own role first. */
async function optionsOf(userIds: string[], where = sql`true`): Promise<Map<string, KeyProjectOption[]>> {
  const byUser = new Map<string, KeyProjectOption[]>();
  if (!userIds.length) return byUser;
  const db = await getDb();
  const [held, allRoles] = await Promise.all([
    db
      .select({ userId: memberships.userId, projectId: projects.id, projectName: projects.name, roleId: roles.id, roleName: roles.name, permissions: roles.permissions })
      .from(memberships)
      .innerJoin(projects, eq(projects.id, memberships.projectId))
      .innerJoin(roles, eq(roles.id, memberships.roleId))
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(inArray(memberships.userId, userIds), where))
      .orderBy(asc(sql`lower(${projects.name})`), asc(projects.id)),
    db.select({ id: roles.id, name: roles.name, permissions: roles.permissions }).from(roles).orderBy(asc(sql`lower(${roles.name})`)),
  ]);
  for (const m of held) {
    const list = byUser.get(m.userId) ?? [];
    list.push({
      projectId: m.projectId,
      projectName: m.projectName,
      roleId: m.roleId,
      roleName: m.roleName,
      grantableRoles: [
        { id: m.roleId, name: m.roleName },
        ...allRoles.filter((r) => r.id !== m.roleId && isWithin(r.permissions, m.permissions)).map((r) => ({ id: r.id, name: r.name })),
      ],
    });
    byUser.set(m.userId, list);
  }
  return byUser;
}

/** My memberships, for the profile and for limiting a key to some projects. My own role comes first. */
export async function listKeyProjectOptions(userId: string): Promise<KeyProjectOption[]> {
  return (await optionsOf([userId])).get(userId) ?? [];
}

/**
 * For a Global Admin editing API accounts' keys (Global Administration > Users):
 * each account's memberships, within which its key may be limited. People's are not given.
 */
export async function listAccountKeyProjectOptions(caller: Caller, accountIds: string[]): Promise<Record<string, KeyProjectOption[]>> {
  assertGlobalAdmin(caller);
  return Object.fromEntries(await optionsOf(accountIds, eq(users.kind, "api_account")));
}
