import "server-only";
import { and, asc, count, desc, eq, isNull, sql } from "drizzle-orm";
import { actorOf, writeAudit } from "@/lib/audit";
import type { Caller } from "@/lib/caller";
import { type Db, getDb, type Tx } from "@/lib/db/client";
import { apiKeys, memberships, roles } from "@/lib/db/schema";
import { ConflictError, ForbiddenError, isUniqueViolation, NotFoundError, ValidationError } from "@/lib/errors";
import { changeKeys } from "@/lib/keys/invalidation";
import { assertGlobalAdmin } from "@/lib/policy";
import type { RoleChanges, RoleInput } from "./schemas";

export type RoleRow = {
  id: string;
  name: string;
  description: string;
  permissions: string[];
  builtIn: boolean;
  /** Memberships that hold this role. */
  memberCount: number;
};
export type RoleOption = { id: string; name: string; builtIn: boolean };

/** The rows' query, not run: a builder awaited would run at once. */
function selectRoleRows(db: Db) {
  const counts = db.select({ roleId: memberships.roleId, n: count().as("n") }).from(memberships).groupBy(memberships.roleId).as("counts");
  return db
    .select({
      id: roles.id,
      name: roles.name,
      description: roles.description,
      permissions: roles.permissions,
      builtIn: roles.builtIn,
      memberCount: sql<number>`coalesce(${counts.n}, 0)`.mapWith(Number),
    })
    .from(roles)
    .leftJoin(counts, eq(counts.roleId, roles.id))
    .$dynamic();
}

/** Built-in roles first (Admin, Editor, Viewer), then custom roles by name. */
export async function listRoles(caller: Caller): Promise<RoleRow[]> {
  assertGlobalAdmin(caller);
  return selectRoleRows(await getDb()).orderBy(desc(roles.builtIn), asc(roles.createdAt), asc(roles.name));
}

export async function getRole(caller: Caller, roleId: string): Promise<RoleRow> {
  assertGlobalAdmin(caller);
  const [row] = await selectRoleRows(await getDb()).where(eq(roles.id, roleId)).limit(1);
  if (!row) throw new NotFoundError("Role not found.");
  return row;
}

/** For every place a role is chosen: built-in and custom roles alike. */
export async function listRoleOptions(caller: Caller): Promise<RoleOption[]> {
  assertGlobalAdmin(caller);
  const db = await getDb();
  return db.select({ id: roles.id, name: roles.name, builtIn: roles.builtIn }).from(roles).orderBy(desc(roles.builtIn), asc(roles.createdAt), asc(roles.name));
}

const nameTaken = (name: string) => new ValidationError({ name: [`A role named “${name}” already exists.`] });

async function lockCustomRole(tx: Tx, roleId: string) {
  const [role] = await tx
    .select({ id: roles.id, name: roles.name, description: roles.description, permissions: roles.permissions, builtIn: roles.builtIn })
    .from(roles)
    .where(eq(roles.id, roleId))
    .for("update")
    .limit(1);
  if (!role) throw new NotFoundError("Role not found. Reload the page: it may have been deleted.");
  if (role.builtIn) throw new ForbiddenError(`${role.name} is a built-in role: it cannot be changed or deleted. Create a custom role instead.`);
  return role;
}

export async function createRole(caller: Caller, input: RoleInput): Promise<RoleOption> {
  assertGlobalAdmin(caller);
  const db = await getDb();
  try {
    return await db.transaction(async (tx) => {
      const [taken] = await tx.select({ id: roles.id }).from(roles).where(sql`lower(${roles.name}) = lower(${input.name})`).limit(1);
      if (taken) throw nameTaken(input.name);
      const [role] = await tx.insert(roles).values(input).returning({ id: roles.id, name: roles.name, builtIn: roles.builtIn });
      await writeAudit(tx, actorOf(caller), { action: "role.created", targetType: "role", targetId: role!.id, targetLabel: role!.name, details: { permissions: input.permissions } });
      return role!;
    });
  } catch (error) {
    if (isUniqueViolation(error, "roles_name_key")) throw nameTaken(input.name);
    throw error;
  }
}

/**
 * Changes a custom role; every key whose owner holds it gets the new permissions at once.
 * Fields left out keep their value (merged under the row lock, so concurrent partial changes both hold).
 */
export async function updateRole(caller: Caller, roleId: string, changes: RoleChanges): Promise<void> {
  assertGlobalAdmin(caller);
  try {
    await changeKeys(async (tx, invalidate) => {
      const role = await lockCustomRole(tx, roleId);
      const input: RoleInput = {
        name: changes.name ?? role.name,
        description: changes.description ?? role.description,
        permissions: changes.permissions ?? role.permissions,
      };
      const [taken] = await tx.select({ id: roles.id }).from(roles).where(sql`lower(${roles.name}) = lower(${input.name})`).limit(1);
      if (taken && taken.id !== roleId) throw nameTaken(input.name);
      await tx.update(roles).set({ ...input, updatedAt: new Date() }).where(eq(roles.id, roleId));
      const details: Record<string, unknown> = {};
      if (role.name !== input.name) details.name = { from: role.name, to: input.name };
      if (role.description !== input.description) details.description = { from: role.description, to: input.description };
      if (JSON.stringify(role.permissions) !== JSON.stringify(input.permissions)) details.permissions = { from: role.permissions, to: input.permissions };
      if (Object.keys(details).length) {
        await writeAudit(tx, actorOf(caller), { action: "role.updated", targetType: "role", targetId: roleId, targetLabel: input.name, details });
        await invalidate({ scope: "all" });
      }
    });
  } catch (error) {
    // Only a new name can collide.
    if (changes.name && isUniqueViolation(error, "roles_name_key")) throw nameTaken(changes.name);
    throw error;
  }
}

/** Deletes a custom role that nobody holds and no live key is limited to. */
export async function deleteRole(caller: Caller, roleId: string): Promise<void> {
  assertGlobalAdmin(caller);
  await changeKeys(async (tx, invalidate) => {
    const role = await lockCustomRole(tx, roleId);
    const [held] = await tx.select({ n: count() }).from(memberships).where(eq(memberships.roleId, roleId));
    if (held && held.n > 0) {
      throw new ConflictError(`${role.name} is in use by ${held.n} member${held.n === 1 ? "" : "s"} of projects. Give ${held.n === 1 ? "that member" : "them"} another role first.`);
    }
    const [limited] = await tx
      .select({ n: count() })
      .from(apiKeys)
      .where(and(isNull(apiKeys.revokedAt), sql`${apiKeys.restriction} @> ${JSON.stringify([{ roleId }])}::jsonb`));
    if (limited && limited.n > 0) {
      throw new ConflictError(`${role.name} is used by ${limited.n} API key${limited.n === 1 ? "" : "s"} limited to it. Revoke or replace ${limited.n === 1 ? "that key" : "those keys"} first.`);
    }
    await tx.delete(roles).where(eq(roles.id, roleId));
    await writeAudit(tx, actorOf(caller), { action: "role.deleted", targetType: "role", targetId: roleId, targetLabel: role.name, details: { permissions: role.permissions } });
    await invalidate({ scope: "all" });
  });
}
