import "server-only";
import { asc, eq, sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { memberships, projects, roles } from "@/lib/db/schema";
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

/** My memberships, for the profile and for limiting a key to some projects. My own role comes first. */
export async function listKeyProjectOptions(userId: string): Promise<KeyProjectOption[]> {
  const db = await getDb();
  const [held, allRoles] = await Promise.all([
    db
      .select({ projectId: projects.id, projectName: projects.name, roleId: roles.id, roleName: roles.name, permissions: roles.permissions })
      .from(memberships)
      .innerJoin(projects, eq(projects.id, memberships.projectId))
      .innerJoin(roles, eq(roles.id, memberships.roleId))
      .where(eq(memberships.userId, userId))
      .orderBy(asc(sql`lower(${projects.name})`), asc(projects.id)),
    db.select({ id: roles.id, name: roles.name, permissions: roles.permissions }).from(roles).orderBy(asc(sql`lower(${roles.name})`)),
  ]);
  return held.map((m) => ({
    projectId: m.projectId,
    projectName: m.projectName,
    roleId: m.roleId,
    roleName: m.roleName,
    grantableRoles: [
      { id: m.roleId, name: m.roleName },
      ...allRoles.filter((r) => r.id !== m.roleId && isWithin(r.permissions, m.permissions)).map((r) => ({ id: r.id, name: r.name })),
    ],
  }));
}
