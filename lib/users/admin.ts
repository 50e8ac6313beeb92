import "server-only";
import { randomBytes } from "node:crypto";
import { and, asc, count, desc, eq, gt, inArray, isNotNull, isNull, like, ne, type SQL, sql } from "drizzle-orm";
import { actorOf, writeAudit } from "@/lib/audit";
import { hashPassword } from "@/lib/users/hashing";
import { endSessions } from "@/lib/users/sessions";
import type { Caller } from "@/lib/caller";
import { getDb, type Tx } from "@/lib/db/client";
import { apiKeys, memberships, projects, roles, users, type KeyRestriction, type UserKind, type UserStatus } from "@/lib/db/schema";
import { ConflictError, isUniqueViolation, NotFoundError, ValidationError } from "@/lib/errors";
import { changeKeys } from "@/lib/keys/invalidation";
import { createAccountKey } from "@/lib/keys/accounts";
import { assertGlobalAdmin } from "@/lib/policy";
import { EmailTakenError, insertHuman } from "./index";
import type { CreateApiAccountInput, CreatePersonInput, MembershipInput, UpdateUserInput, UserListQuery } from "./schemas";

export type MembershipView = { projectId: string; projectName: string; roleId: string; roleName: string };

/** One line of Global Administration > Users: never a hash, never a secret. */
export type UserRow = {
  id: string;
  kind: UserKind;
  username: string;
  name: string;
  email: string | null;
  status: UserStatus;
  isOrgAdmin: boolean;
  apiAccess: boolean;
  lastActiveAt: Date | null;
  createdAt: Date;
  memberships: MembershipView[];
  /** API accounts: the live key as it may be shown without revealing it (`lk_sa_AbCd` … last four). */
  key: { id: string; name: string; start: string; lastFour: string; createdAt: Date; expiresAt: Date | null; expiresInDays: number | null; restriction: KeyRestriction | null } | null;
  /** API accounts: the key a regeneration replaced, while its grace period lets it work (until `stopsAt`). */
  previousKey: { start: string; lastFour: string; stopsAt: Date } | null;
};

export type UserList = { rows: UserRow[]; total: number; page: number; pageSize: number };

const rowColumns = {
  id: users.id,
  kind: users.kind,
  username: users.username,
  name: users.name,
  email: users.email,
  status: users.status,
  isOrgAdmin: users.isOrgAdmin,
  apiAccess: users.apiAccess,
  lastActiveAt: users.lastActiveAt,
  createdAt: users.createdAt,
};

const lastActiveKey = sql`coalesce(${users.lastActiveAt}, '-infinity'::timestamptz)`;

/** Each sort follows an index ending in the id, so that order is total and a page never shifts. */
function orderFor(sort: UserListQuery["sort"]): SQL[] {
  const dir = sort.desc ? desc : asc;
  // By name whatever its case ("alice" next to "Alice"), on users_name_idx (lower(name), id).
  const first = sort.by === "name" ? sql`lower(${users.name})` : sort.by === "lastActive" ? lastActiveKey : users.createdAt;
  return [dir(first), dir(users.id)];
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function filtersFor(query: UserListQuery): SQL | undefined {
  const conditions: (SQL | undefined)[] = [];
  if (query.q) {
    // One stored, lowercased column (name, username, email) and its trigram index (migration 0004).
    conditions.push(like(users.searchText, `%${escapeLike(query.q.toLowerCase())}%`));
  }
  if (query.type) conditions.push(eq(users.kind, query.type));
  if (query.status) conditions.push(eq(users.status, query.status));
  if (query.project) {
    conditions.push(
      sql`exists (select 1 from ${memberships} where ${memberships.userId} = ${users.id} and ${memberships.projectId} = ${query.project})`,
    );
  }
  return conditions.length ? and(...conditions) : undefined;
}

async function membershipsOf(db: Tx | Awaited<ReturnType<typeof getDb>>, userIds: string[]): Promise<Map<string, MembershipView[]>> {
  const out = new Map<string, MembershipView[]>();
  if (!userIds.length) return out;
  const rows = await db
    .select({ userId: memberships.userId, projectId: projects.id, projectName: projects.name, roleId: roles.id, roleName: roles.name })
    .from(memberships)
    .innerJoin(projects, eq(projects.id, memberships.projectId))
    .innerJoin(roles, eq(roles.id, memberships.roleId))
    .where(inArray(memberships.userId, userIds))
    .orderBy(sql`lower(${projects.name})`);
  for (const { userId, ...m } of rows) {
    const list = out.get(userId) ?? [];
    list.push(m);
    out.set(userId, list);
  }
  return out;
}

/**
 * A page of users for Global Administration. The page's ids are found first
 * (an index-only walk of the sort's index, so that a deep offset skips index
 * entries rather than rows), then only those rows are read, with their
 * projects, roles and keys.
 */
export async function listUsers(caller: Caller, query: UserListQuery): Promise<UserList> {
  assertGlobalAdmin(caller);
  const db = await getDb();
  const where = filtersFor(query);
  const order = orderFor(query.sort);
  const page = db
    .select({ id: users.id })
    .from(users)
    .where(where)
    .orderBy(...order)
    .limit(query.size)
    .offset((query.page - 1) * query.size)
    .as("page");
  const [[totalRow], pageRows] = await Promise.all([
    db.select({ n: count() }).from(users).where(where),
    db.select(rowColumns).from(users).innerJoin(page, eq(page.id, users.id)).orderBy(...order),
  ]);
  return {
    rows: await withMembershipsAndKeys(db, pageRows),
    total: totalRow?.n ?? 0,
    page: query.page,
    pageSize: query.size,
  };
}

type BareRow = Omit<UserRow, "memberships" | "key" | "previousKey">;

async function withMembershipsAndKeys(db: Awaited<ReturnType<typeof getDb>>, rows: BareRow[]): Promise<UserRow[]> {
  const ids = rows.map((r) => r.id);
  const accountIds = rows.filter((r) => r.kind === "api_account").map((r) => r.id);
  const [held, keys, previous] = await Promise.all([
    membershipsOf(db, ids),
    accountIds.length
      ? db
          .select({ ownerId: apiKeys.ownerId, id: apiKeys.id, name: apiKeys.name, restriction: apiKeys.restriction, start: apiKeys.start, lastFour: apiKeys.lastFour, createdAt: apiKeys.createdAt, expiresAt: apiKeys.expiresAt, expiresInDays: apiKeys.expiresInDays })
          .from(apiKeys)
          .where(and(inArray(apiKeys.ownerId, accountIds), eq(apiKeys.kind, "sa"), isNull(apiKeys.revokedAt), isNull(apiKeys.replacedById)))
      : Promise.resolve([]),
    accountIds.length
      ? db
          .select({ ownerId: apiKeys.ownerId, start: apiKeys.start, lastFour: apiKeys.lastFour, stopsAt: apiKeys.graceExpiresAt })
          .from(apiKeys)
          .where(and(inArray(apiKeys.ownerId, accountIds), eq(apiKeys.kind, "sa"), isNull(apiKeys.revokedAt), isNotNull(apiKeys.replacedById), gt(apiKeys.graceExpiresAt, sql`now()`)))
      : Promise.resolve([]),
  ]);
  const keyOf = new Map(keys.map(({ ownerId, ...k }) => [ownerId, k]));
  const previousOf = new Map(previous.map(({ ownerId, stopsAt, ...k }) => [ownerId, { ...k, stopsAt: stopsAt! }]));
  return rows.map((r) => ({ ...r, memberships: held.get(r.id) ?? [], key: keyOf.get(r.id) ?? null, previousKey: previousOf.get(r.id) ?? null }));
}

/** One user as a line of the Users table shows them. */
export async function getUser(caller: Caller, userId: string): Promise<UserRow> {
  assertGlobalAdmin(caller);
  const db = await getDb();
  const [row] = await db.select(rowColumns).from(users).where(eq(users.id, userId)).limit(1);
  if (!row) throw new NotFoundError("User not found.");
  return (await withMembershipsAndKeys(db, [row]))[0]!;
}

// ---- changes ------------------------------------------------------------------------------------

type Locked = { id: string; kind: UserKind; username: string; email: string | null; name: string; status: UserStatus; isOrgAdmin: boolean; apiAccess: boolean };

/** Locks the user's row for the rest of the transaction: two admins editing one user take turns. */
async function lockUser(tx: Tx, userId: string): Promise<Locked> {
  const [user] = await tx
    .select({ id: users.id, kind: users.kind, username: users.username, email: users.email, name: users.name, status: users.status, isOrgAdmin: users.isOrgAdmin, apiAccess: users.apiAccess })
    .from(users)
    .where(eq(users.id, userId))
    .for("update")
    .limit(1);
  if (!user) throw new NotFoundError("User not found. Reload the page: it may have been deleted.");
  return user;
}

// Any change that could leave no active Global Admin takes this lock first, so that two admins
// demoting each other at once are judged one after the other.
const ADMIN_SET_LOCK = 74_205_313;

async function assertNotLastAdmin(tx: Tx, user: Locked, doing: string): Promise<void> {
  if (!user.isOrgAdmin || user.status !== "active" || user.kind !== "human") return;
  await tx.execute(sql`select pg_advisory_xact_lock(${ADMIN_SET_LOCK})`);
  const [other] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.isOrgAdmin, true), eq(users.status, "active"), eq(users.kind, "human"), ne(users.id, user.id)))
    .limit(1);
  if (!other) {
    throw new ConflictError(`${user.name} is the last active Global Admin and cannot be ${doing}. Make another person a Global Admin first.`);
  }
}

const labelOf = (u: { email: string | null; username: string }) => u.email ?? u.username;

type MembershipLabel = { project: string; role: string };

async function membershipLabels(tx: Tx, userId: string): Promise<MembershipLabel[]> {
  const held = (await membershipsOf(tx, [userId])).get(userId) ?? [];
  return held.map((m) => ({ project: m.projectName, role: m.roleName }));
}

/** Replaces all of a user's memberships; a project or role deleted meanwhile is reported, not skipped. */
async function replaceMemberships(tx: Tx, userId: string, wanted: MembershipInput): Promise<MembershipLabel[]> {
  const projectIds = wanted.map((m) => m.projectId);
  const roleIds = [...new Set(wanted.map((m) => m.roleId))];
  const [foundProjects, foundRoles] = await Promise.all([
    projectIds.length ? tx.select({ id: projects.id, name: projects.name }).from(projects).where(inArray(projects.id, projectIds)) : [],
    roleIds.length ? tx.select({ id: roles.id, name: roles.name }).from(roles).where(inArray(roles.id, roleIds)) : [],
  ]);
  const projectName = new Map(foundProjects.map((p) => [p.id, p.name]));
  const roleName = new Map(foundRoles.map((r) => [r.id, r.name]));
  if (projectName.size !== projectIds.length) {
    throw new ValidationError({ memberships: ["A selected project no longer exists. Reload the page and choose again."] });
  }
  if (wanted.some((m) => !roleName.has(m.roleId))) {
    throw new ValidationError({ memberships: ["A selected role no longer exists. Reload the page and choose again."] });
  }
  await tx.delete(memberships).where(eq(memberships.userId, userId));
  if (wanted.length) await tx.insert(memberships).values(wanted.map((m) => ({ userId, projectId: m.projectId, roleId: m.roleId })));
  return wanted
    .map((m) => ({ project: projectName.get(m.projectId)!, role: roleName.get(m.roleId)! }))
    .sort((a, b) => a.project.localeCompare(b.project));
}

const usernameTaken = (username: string) =>
  new ValidationError({ username: [`The username “${username}” is already taken. Choose another.`] });

/**
 * An API account: no password (it can never sign in to the console), API
 * access, one role per project, and its `lk_sa_` key made in the same
 * transaction. The console shows the key later with "Show API Key"
 * (revealAccountKey); the REST API hands `secret` to the admin once, here.
 */
export async function createApiAccount(
  caller: Caller,
  input: CreateApiAccountInput): Promise<{ id: string; username: string; secret: string }> {
  assertGlobalAdmin(caller);
  try {
    return await changeKeys(async (tx, invalidate) => {
      const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.username, input.username)).limit(1);
      if (taken) throw usernameTaken(input.username);
      const [account] = await tx
        .insert(users)
        .values({ kind: "api_account", username: input.username, name: input.username, apiAccess: true })
        .returning({ id: users.id, username: users.username });
      const held = await replaceMemberships(tx, account!.id, input.memberships);
      const key = await createAccountKey(tx, invalidate, account!.id, caller.id, { expiresInDays: input.expiresInDays });
      await writeAudit(tx, actorOf(caller), {
        action: "account.created",
        targetType: "user",
        targetId: account!.id,
        targetLabel: account!.username,
        details: { memberships: held },
      });
      await writeAudit(tx, actorOf(caller), { action: "key.created", targetType: "api_key", targetId: key.id, targetLabel: `${account!.username} / Default`, details: { expiresInDays: key.expiresInDays } });
      return { ...account!, secret: key.secret };
    });
  } catch (error) {
    if (isUniqueViolation(error, "users_username_key")) throw usernameTaken(input.username);
    throw error;
  }
}

/** About 120 bits, easy to read aloud or paste: the person must change it at first sign-in. */
function initialPassword(): string {
  return randomBytes(20).toString("base64url").replace(/[-_]/g, "x").slice(0, 24).match(/.{1,6}/g)!.join("-");
}

/** A person, with a server-made initial password that is returned once, here, and never stored in the clear. */
export async function createPerson(
  caller: Caller,
  input: CreatePersonInput): Promise<{ id: string; username: string; initialPassword: string }> {
  assertGlobalAdmin(caller);
  const db = await getDb();
  const password = initialPassword();
  try {
    const user = await db.transaction(async (tx) => {
      const created = await insertHuman(tx, { ...input, password, mustChangePassword: true });
      const held = await replaceMemberships(tx, created.id, input.memberships);
      await writeAudit(tx, actorOf(caller), {
        action: "user.created",
        targetType: "user",
        targetId: created.id,
        targetLabel: input.email.trim().toLowerCase(),
        details: { isOrgAdmin: input.isOrgAdmin, apiAccess: input.apiAccess, memberships: held },
      });
      return created;
    });
    return { ...user, initialPassword: password };
  } catch (error) {
    if (error instanceof EmailTakenError || isUniqueViolation(error, "users_email_key")) {
      throw new ValidationError({ email: ["A user with this email already exists."] });
    }
    throw error;
  }
}

/**
 * Changes a user's name, Global Admin and API access flags and replaces their
 * project roles, all or nothing, with the user's row locked meanwhile.
 */
export async function updateUser(caller: Caller, userId: string, input: UpdateUserInput): Promise<void> {
  assertGlobalAdmin(caller);
  await changeKeys(async (tx, invalidate) => {
    const user = await lockUser(tx, userId);
    if (user.kind === "api_account" && (input.isOrgAdmin || input.apiAccess === false)) {
      throw new ValidationError({ isOrgAdmin: ["API accounts always have API access and cannot be Global Admins."] });
    }
    const changes: Partial<typeof users.$inferInsert> = {};
    const details: Record<string, unknown> = {};
    if (input.name !== undefined && user.kind === "human" && input.name !== user.name) {
      changes.name = input.name;
      details.name = { from: user.name, to: input.name };
    }
    if (input.isOrgAdmin !== undefined && input.isOrgAdmin !== user.isOrgAdmin) {
      if (!input.isOrgAdmin) await assertNotLastAdmin(tx, user, "demoted");
      changes.isOrgAdmin = input.isOrgAdmin;
      details.isOrgAdmin = { from: user.isOrgAdmin, to: input.isOrgAdmin };
    }
    if (input.apiAccess !== undefined && input.apiAccess !== user.apiAccess) {
      changes.apiAccess = input.apiAccess;
      details.apiAccess = { from: user.apiAccess, to: input.apiAccess };
    }
    if (input.memberships) {
      const before = await membershipLabels(tx, userId);
      const after = await replaceMemberships(tx, userId, input.memberships);
      if (JSON.stringify(before) !== JSON.stringify(after)) details.memberships = { from: before, to: after };
    }
    if (!Object.keys(details).length) return;
    await tx.update(users).set({ ...changes, updatedAt: new Date() }).where(eq(users.id, userId));
    const rolesChanged = "isOrgAdmin" in details || "apiAccess" in details || "memberships" in details;
    await writeAudit(tx, actorOf(caller), {
      action: rolesChanged ? "user.roles_changed" : "user.updated",
      targetType: "user",
      targetId: userId,
      targetLabel: labelOf(user),
      details,
    });
    await invalidate({ scope: "owner", id: userId });
  });
}

/**
 * Disable or enable a person or API account. Disabling ends the person's
 * console sessions (enabling again does not bring them back) and stops every
 * key at once.
 */
export async function setUserStatus(caller: Caller, userId: string, status: UserStatus): Promise<void> {
  assertGlobalAdmin(caller);
  await changeKeys(async (tx, invalidate) => {
    const user = await lockUser(tx, userId);
    if (user.status === status) return;
    if (status === "disabled") {
      if (user.id === caller.id) throw new ConflictError("You cannot disable your own account. Ask another Global Admin.");
      await assertNotLastAdmin(tx, user, "disabled");
    }
    await tx.update(users).set({ status, updatedAt: new Date() }).where(eq(users.id, userId));
    if (status === "disabled") await endSessions(tx, userId);
    await writeAudit(tx, actorOf(caller), {
      action: status === "disabled" ? "user.disabled" : "user.enabled",
      targetType: "user",
      targetId: userId,
      targetLabel: labelOf(user),
      details: { kind: user.kind },
    });
    await invalidate({ scope: "owner", id: userId });
  });
}

/**
 * Deletes a person or API account, its memberships and its keys. The admin
 * types the username to confirm; the audit history stays (it names, not references, the user).
 */
export async function deleteUser(caller: Caller, userId: string, confirmation: string): Promise<void> {
  assertGlobalAdmin(caller);
  await changeKeys(async (tx, invalidate) => {
    const user = await lockUser(tx, userId);
    if (confirmation.trim() !== user.username) {
      throw new ValidationError({ confirm: [`Type the username “${user.username}” exactly to confirm.`] });
    }
    if (user.id === caller.id) throw new ConflictError("You cannot delete your own account. Ask another Global Admin.");
    await assertNotLastAdmin(tx, user, "deleted");
    const held = await membershipLabels(tx, userId);
    const [keys] = await tx.select({ n: count() }).from(apiKeys).where(and(eq(apiKeys.ownerId, userId), isNull(apiKeys.revokedAt)));
    await tx.delete(users).where(eq(users.id, userId));
    await writeAudit(tx, actorOf(caller), {
      action: "user.deleted",
      targetType: "user",
      targetId: userId,
      targetLabel: labelOf(user),
      details: { kind: user.kind, username: user.username, memberships: held, keysDeleted: keys?.n ?? 0 },
    });
    await invalidate({ scope: "owner", id: userId });
  });
}

const NO_CONSOLE = "API accounts never sign in to the console: they have no password and no sessions.";

/**
 * "Sign out everywhere": every console session of the person ends at once (a
 * copied cookie included); their API keys are not touched.
 */
export async function signOutEverywhere(caller: Caller, userId: string): Promise<{ sessionsEnded: number }> {
  assertGlobalAdmin(caller);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const user = await lockPerson(tx, userId);
    return { sessionsEnded: await endSessionsAudited(tx, caller, user, "user.signed_out_everywhere") };
  });
}

/** The person (not an API account: it has no console sessions), locked for the change. */
async function lockPerson(tx: Tx, userId: string) {
  const user = await lockUser(tx, userId);
  if (user.kind !== "human") throw new ConflictError(NO_CONSOLE);
  return user;
}

/** Ends every console session of `user`, in one audit event saying how many. */
async function endSessionsAudited(tx: Tx, caller: Caller, user: Awaited<ReturnType<typeof lockUser>>, action: string): Promise<number> {
  const sessionsEnded = await endSessions(tx, user.id);
  await writeAudit(tx, actorOf(caller), { action, targetType: "user", targetId: user.id, targetLabel: labelOf(user), details: { sessionsEnded } });
  return sessionsEnded;
}

/**
 * Password recovery: a new server-made temporary password, returned once, here,
 * to the admin who asked. The person must change it at their next sign-in;
 * their sessions end, and their sign-in count starts again (the lock-out
 * they may be in is not theirs to wait out).
 */
export async function resetPassword(caller: Caller, userId: string): Promise<{ temporaryPassword: string }> {
  assertGlobalAdmin(caller);
  const temporaryPassword = initialPassword();
  const passwordHash = await hashPassword(temporaryPassword);
  const db = await getDb();
  await db.transaction(async (tx) => {
    const user = await lockPerson(tx, userId);
    if (user.id === caller.id) throw new ConflictError("To change your own password, use Change password on your User Profile.");
    await tx
      .update(users)
      .set({ passwordHash, mustChangePassword: true, updatedAt: new Date() })
      .where(eq(users.id, userId));
    await endSessionsAudited(tx, caller, user, "user.password_reset");
  });
  return { temporaryPassword };
}
