import "server-only";
import { and, asc, count, desc, eq, inArray, isNull, like, or, type SQL, sql } from "drizzle-orm";
import { actorOf, writeAudit } from "@/lib/audit";
import type { Caller } from "@/lib/caller";
import { getDb } from "@/lib/db/client";
import { apiKeys, apiKeyUsageDaily, memberships, projects, users, type KeyKind, type UserKind, type UserStatus } from "@/lib/db/schema";
import { assertGlobalAdmin } from "@/lib/policy";
import { exceedsPolicySql, type KeyPolicy } from "@/lib/policy/key-policy";
import { maskKey } from "./format";
import { expiringWithinSql, effectiveExpiry, keyStatus, keyStatusRankSql, keyStatusSql, type KeyStatus, STATUS_LABELS, unusedForSql, workingKeySql } from "./lifecycle";
import { inventoryFilters, type InventoryQuery } from "./inventory-query";
import { getKeyPolicy } from "./key-policy";
import { REVOKED_BY_ADMIN } from "./store";
import { getRequestCounts, USAGE_WINDOW_DAYS } from "./usage";

/**
 * Global Administration > API Keys: every key of the organization, personal
 * and API-account, with its owner, the projects it reaches and its traffic.
 * One statement answers a page and the total (`count(*) over ()`); the
 * projects and the 30-day request counts are correlated subqueries, so they
 * are computed for the page's rows only. Never a hash, never a secret.
 */

export type InventoryOwner = { id: string; name: string; username: string; kind: UserKind; status: UserStatus };

export type InventoryRow = {
  id: string;
  kind: KeyKind;
  name: string;
  /** `lk_pat_AbCd…wxyz`: as much of the key as may be shown. */
  masked: string;
  owner: InventoryOwner;
  /** The projects the key works in now: the owner's, narrowed by the key's restriction. */
  projects: { id: string; name: string }[];
  restricted: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
  /** When it stops working by itself (its grace period's end while it is being replaced). */
  expiresAt: Date | null;
  revokedAt: Date | null;
  revokedByAdmin: boolean;
  status: KeyStatus;
  requests: { accepted: number; refused: number };
};

export type KeyInventory = { rows: InventoryRow[]; total: number; page: number; pageSize: number };

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The key reaches the project: its owner is a member, and the key is not limited to other projects. */
const reachesSql = (projectId: string): SQL =>
  sql`${apiKeys.ownerId} in (select ${memberships.userId} from ${memberships} where ${memberships.projectId} = ${projectId})
      and (${apiKeys.restriction} is null or ${apiKeys.restriction} @> ${JSON.stringify([{ projectId }])}::jsonb)`;

function filtersFor(q: InventoryQuery, policy: KeyPolicy | undefined): SQL | undefined {
  const c: (SQL | undefined)[] = [];
  if (q.q) {
    const lower = `%${escapeLike(q.q.toLowerCase())}%`;
    c.push(
      or(
        // The owner's name, username or email (users.search_text, lowercased on write), as an id list
        // from its trigram index, so that the keys need no join with their owners to be searched.
        sql`${apiKeys.ownerId} = any(array(select ${users.id} from ${users} where ${users.searchText} like ${lower}))`,
        sql`lower(${apiKeys.name}) like ${lower}`,
        // A key's start is case-sensitive base62: pasted as shown.
        like(apiKeys.start, `%${escapeLike(q.q)}%`),
      ),
    );
  }
  if (q.type) c.push(eq(users.kind, q.type));
  if (q.owner) c.push(eq(users.status, q.owner));
  if (q.status) c.push(keyStatusSql(q.status));
  if (q.project) c.push(reachesSql(q.project));
  if (q.expiry === "none") c.push(isNull(apiKeys.expiresAt));
  else if (q.expiry) c.push(expiringWithinSql(Number(q.expiry)));
  if (q.usage === "never") c.push(isNull(apiKeys.lastUsedAt));
  else if (q.usage) c.push(unusedForSql(Number(q.usage)));
  if (q.policy && policy) c.push(and(workingKeySql(), exceedsPolicySql(policy)));
  return c.length ? and(...c) : undefined;
}

/** The key policy, read only when the query asks which keys exceed it. */
const policyFor = (q: InventoryQuery): Promise<KeyPolicy | undefined> => (q.policy ? getKeyPolicy() : Promise.resolve(undefined));

/** Every order ends in the key's id, so that it is total and a page never shifts. */
function orderFor(sort: InventoryQuery["sort"]): SQL[] {
  const dir = sort.desc ? desc : asc;
  switch (sort.by) {
    case "owner":
      // users_name_idx is (lower(name), id): the owners in order, then each one's keys.
      return [dir(sql`lower(${users.name})`), dir(users.id), dir(apiKeys.id)];
    case "name":
      return [dir(sql`lower(${apiKeys.name})`), dir(apiKeys.id)];
    case "lastUsed":
      // Never used sorts as the oldest use.
      return [dir(sql`coalesce(${apiKeys.lastUsedAt}, '-infinity'::timestamptz)`), dir(apiKeys.id)];
    case "expires":
      // Keys that never expire come last, ascending (they end latest).
      return [dir(sql`coalesce(${apiKeys.expiresAt}, 'infinity'::timestamptz)`), dir(apiKeys.id)];
    case "status":
      return [dir(keyStatusRankSql()), dir(apiKeys.createdAt), dir(apiKeys.id)];
    case "created":
      return [dir(apiKeys.createdAt), dir(apiKeys.id)];
  }
}

const plainColumns = {
  id: apiKeys.id,
  kind: apiKeys.kind,
  name: apiKeys.name,
  start: apiKeys.start,
  lastFour: apiKeys.lastFour,
  restriction: apiKeys.restriction,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  expiresAt: apiKeys.expiresAt,
  revokedAt: apiKeys.revokedAt,
  revokedReason: apiKeys.revokedReason,
  replacedById: apiKeys.replacedById,
  graceExpiresAt: apiKeys.graceExpiresAt,
  ownerId: users.id,
  ownerName: users.name,
  ownerUsername: users.username,
  ownerKind: users.kind,
  ownerStatus: users.status,
};

const rowColumns = {
  ...plainColumns,
  projects: sql<{ id: string; name: string }[]>`(
    select coalesce(json_agg(json_build_object('id', ${projects.id}, 'name', ${projects.name}) order by lower(${projects.name}), ${projects.id}), '[]'::json)
      from ${memberships} join ${projects} on ${projects.id} = ${memberships.projectId}
     where ${memberships.userId} = ${apiKeys.ownerId}
       and (${apiKeys.restriction} is null or ${apiKeys.restriction} @> jsonb_build_array(jsonb_build_object('projectId', ${memberships.projectId}::text))))`,
  // Days are UTC dates: 30 days means today and the 29 before it (as getRequestCounts).
  accepted: sql<number>`(select coalesce(sum(${apiKeyUsageDaily.accepted}), 0) from ${apiKeyUsageDaily}
     where ${apiKeyUsageDaily.keyId} = ${apiKeys.id} and ${apiKeyUsageDaily.day} > (now() at time zone 'utc')::date - ${USAGE_WINDOW_DAYS}::int)`.mapWith(Number),
  refused: sql<number>`(select coalesce(sum(${apiKeyUsageDaily.refused}), 0) from ${apiKeyUsageDaily}
     where ${apiKeyUsageDaily.keyId} = ${apiKeys.id} and ${apiKeyUsageDaily.day} > (now() at time zone 'utc')::date - ${USAGE_WINDOW_DAYS}::int)`.mapWith(Number),
};

type RawRow = { [K in keyof typeof rowColumns]: unknown } & Record<string, unknown>;

function toRow(r: RawRow, now: number): InventoryRow {
  const times = {
    revokedAt: r.revokedAt as Date | null,
    replacedById: r.replacedById as string | null,
    graceExpiresAt: r.graceExpiresAt as Date | null,
    expiresAt: r.expiresAt as Date | null,
  };
  const projectList = typeof r.projects === "string" ? (JSON.parse(r.projects) as { id: string; name: string }[]) : ((r.projects as { id: string; name: string }[] | null) ?? []);
  return {
    id: r.id as string,
    kind: r.kind as KeyKind,
    name: r.name as string,
    masked: maskKey(r.start as string, r.lastFour as string),
    owner: { id: r.ownerId as string, name: r.ownerName as string, username: r.ownerUsername as string, kind: r.ownerKind as UserKind, status: r.ownerStatus as UserStatus },
    projects: projectList,
    restricted: r.restriction !== null,
    createdAt: r.createdAt as Date,
    lastUsedAt: r.lastUsedAt as Date | null,
    expiresAt: effectiveExpiry(times),
    revokedAt: times.revokedAt,
    revokedByAdmin: r.revokedReason === REVOKED_BY_ADMIN,
    status: keyStatus(times, now),
    requests: { accepted: Number(r.accepted), refused: Number(r.refused) },
  };
}

/** A page of the organization's keys, for a Global Admin. */
export async function listKeyInventory(caller: Caller, query: InventoryQuery): Promise<KeyInventory> {
  assertGlobalAdmin(caller);
  const db = await getDb();
  const where = filtersFor(query, await policyFor(query));
  const order = orderFor(query.sort);
  // Every key has its owner (a foreign key, not null): the join is needed only to filter or sort by them.
  const byOwner = !!(query.type || query.owner || query.sort.by === "owner");
  const counted = byOwner
    ? db.select({ n: count() }).from(apiKeys).innerJoin(users, eq(users.id, apiKeys.ownerId)).where(where)
    : db.select({ n: count() }).from(apiKeys).where(where);
  const matching = byOwner ? db.select({ id: apiKeys.id }).from(apiKeys).innerJoin(users, eq(users.id, apiKeys.ownerId)).$dynamic() : db.select({ id: apiKeys.id }).from(apiKeys).$dynamic();
  const page = matching
    .where(where)
    .orderBy(...order)
    .limit(query.size)
    .offset((query.page - 1) * query.size)
    .as("page");
  // One statement: the total is an uncorrelated subquery (computed once), so the page itself stays a
  // top-N sort or an index walk instead of sorting every match.
  const rows = await db
    .select({ ...rowColumns, total: sql<number>`(${counted})`.mapWith(Number) })
    .from(page)
    .innerJoin(apiKeys, eq(apiKeys.id, page.id))
    .innerJoin(users, eq(users.id, apiKeys.ownerId))
    .orderBy(...order);
  let total = Number(rows[0]?.total ?? 0);
  if (!rows.length && query.page > 1) {
    // Past the last page: no row carried the total.
    total = (await counted)[0]?.n ?? 0;
  }
  const now = Date.now();
  return { rows: rows.map((r) => toRow(r as RawRow, now)), total, page: query.page, pageSize: query.size };
}

// ---- CSV export ---------------------------------------------------------------------------------

export const CSV_COLUMNS = [
  "Owner", "Username", "Owner type", "Owner status", "Key name", "Key", "Projects", "Limited to some projects",
  "Created", "Last used", "Requests (30 days)", "Refused (30 days)", "Expires", "Status", "Revoked",
] as const;

/**
 * One CSV cell: quoted, quotes doubled, and a leading `= + - @`, tab or carriage
 * return defused with an apostrophe, so that a spreadsheet never runs a key
 * name or an owner's name as a formula.
 */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return "";
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

function csvLine(r: InventoryRow): string {
  const when = (d: Date | null) => d?.toISOString() ?? null;
  return [
    r.owner.name,
    r.owner.username,
    r.owner.kind === "api_account" ? "API account" : "Person",
    r.owner.status === "active" ? "Active" : "Disabled",
    r.name,
    r.masked,
    r.projects.map((p) => p.name).join("; "),
    r.restricted ? "Yes" : "No",
    when(r.createdAt),
    when(r.lastUsedAt),
    r.requests.accepted,
    r.requests.refused,
    when(r.expiresAt),
    r.revokedByAdmin ? "Revoked by an administrator" : STATUS_LABELS[r.status],
    when(r.revokedAt),
  ]
    .map(csvCell)
    .join(",");
}

const EXPORT_SLICE = 2_000;

/**
 * The inventory with the query's filters and sort, every page, as CSV (a
 * credential report): display parts only, never a hash or a secret. The export
 * is one audit event saying which filters and how many keys.
 */
export async function exportKeyInventory(caller: Caller, query: InventoryQuery): Promise<{ csv: string; count: number }> {
  assertGlobalAdmin(caller);
  const db = await getDb();
  const order = orderFor(query.sort);
  // The matching ids in order first (cheap), then their rows in slices: no statement outlives
  // the client's statement timeout (lib/db/deadline.ts), however many keys the organization has.
  const matched = await db.select({ id: apiKeys.id }).from(apiKeys).innerJoin(users, eq(users.id, apiKeys.ownerId)).where(filtersFor(query, await policyFor(query))).orderBy(...order);
  const now = Date.now();
  const lines = [CSV_COLUMNS.map(csvCell).join(",")];
  for (let i = 0; i < matched.length; i += EXPORT_SLICE) {
    const slice = matched.slice(i, i + EXPORT_SLICE).map((m) => m.id);
    // Set-based for thousands of rows (the page's correlated subqueries would run once a row).
    const rows = await db.select(plainColumns).from(apiKeys).innerJoin(users, eq(users.id, apiKeys.ownerId)).where(inArray(apiKeys.id, slice));
    const owners = [...new Set(rows.map((r) => r.ownerId))];
    const [counts, held] = await Promise.all([
      getRequestCounts(slice),
      db
        .select({ userId: memberships.userId, id: projects.id, name: projects.name })
        .from(memberships)
        .innerJoin(projects, eq(projects.id, memberships.projectId))
        .where(inArray(memberships.userId, owners))
        .orderBy(sql`lower(${projects.name})`, projects.id),
    ]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const heldBy = new Map<string, { id: string; name: string }[]>();
    for (const m of held) heldBy.set(m.userId, [...(heldBy.get(m.userId) ?? []), { id: m.id, name: m.name }]);
    for (const id of slice) {
      const r = byId.get(id);
      if (!r) continue; // deleted meanwhile
      const reaches = (heldBy.get(r.ownerId) ?? []).filter((p) => !r.restriction || r.restriction.some((x) => x.projectId === p.id));
      const c = counts.get(id)!;
      lines.push(csvLine(toRow({ ...r, projects: reaches, accepted: c.accepted, refused: c.refused } as RawRow, now)));
    }
  }
  const count = lines.length - 1;
  await writeAudit(db, actorOf(caller), { action: "keys.exported", details: { count, filters: inventoryFilters(query) } });
  return { csv: `${lines.join("\r\n")}\r\n`, count };
}
