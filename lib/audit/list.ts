import "server-only";
import { and, count, desc, eq, gte, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { apiKeys, auditEvents, users } from "@/lib/db/schema";
import type { Caller } from "@/lib/caller";
import { assertGlobalAdmin } from "@/lib/policy";
import { STARTUP_ACTOR } from "./index";
import { isUuid } from "@/lib/validation";
import type { AuditQuery } from "./schemas";
import { describeAuditEvent, type NamedEvent, type Party, type Sentence } from "./sentences";

export type AuditRow = {
  id: number;
  at: Date;
  actorLabel: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  targetLabel: string | null;
  ip: string | null;
  details: Record<string, unknown> | null;
  /** What happened, in words (lib/audit/sentences.ts), with the people and keys it names as they are called now. */
  sentence: Sentence;
};

type EventRow = Omit<AuditRow, "sentence"> & { actorId: string | null; actorKeyId: string | null };

const partyOf = (u: { id: string; name: string; kind: string }): Party => ({ id: u.id, name: u.name, kind: u.kind === "api_account" ? "api_account" : "person" });

/**
 * The sentence of each event, naming people by their name and API accounts
 * as such: the users and keys a page of events refers to, in two queries.
 * Events keep labels of their own, for whoever has since been deleted.
 */
async function withSentences(rows: EventRow[]): Promise<AuditRow[]> {
  const db = await getDb();
  const keyIds = [...new Set(rows.flatMap((r) => [r.actorKeyId, r.targetType === "api_key" ? r.targetId : null]).filter((id): id is string => !!id && isUuid(id)))];
  const keys = keyIds.length ? await db.select({ id: apiKeys.id, name: apiKeys.name, ownerId: apiKeys.ownerId }).from(apiKeys).where(inArray(apiKeys.id, keyIds)) : [];
  const keyById = new Map(keys.map((k) => [k.id, k]));
  const userIds = [
    ...new Set([...rows.flatMap((r) => [r.actorId, r.targetType === "user" ? r.targetId : null]), ...keys.map((k) => k.ownerId)].filter((id): id is string => !!id && isUuid(id))),
  ];
  const found = userIds.length ? await db.select({ id: users.id, name: users.name, kind: users.kind }).from(users).where(inArray(users.id, userIds)) : [];
  const userById = new Map(found.map((u) => [u.id, partyOf(u)]));

  return rows.map(({ actorId, actorKeyId, ...row }) => {
    const actor: Party =
      (actorId && userById.get(actorId)) ||
      (actorId === STARTUP_ACTOR.id && row.actorLabel === STARTUP_ACTOR.label ? { id: null, name: "Latchkey at start-up", kind: "system" } : { id: actorId, name: row.actorLabel, kind: "unknown" });
    const key = row.targetType === "api_key" && row.targetId ? keyById.get(row.targetId) : undefined;
    const event: NamedEvent = {
      action: row.action,
      actor,
      viaKey: actorKeyId ? { name: keyById.get(actorKeyId)?.name ?? null } : null,
      targetLabel: row.targetLabel,
      user: row.targetType === "user" && row.targetId ? userById.get(row.targetId) : undefined,
      key: key ? { name: key.name, owner: userById.get(key.ownerId) ?? null } : undefined,
      details: row.details,
    };
    return { ...row, sentence: describeAuditEvent(event) };
  });
}

async function filtersFor(query: AuditQuery): Promise<SQL | undefined> {
  const conditions: (SQL | undefined)[] = [];
  if (query.actor) {
    // An actor is named by email or username; events keep the label they were written with,
    // which also finds actors that have since been deleted.
    const db = await getDb();
    const name = query.actor.toLowerCase();
    const matches = await db.select({ id: users.id }).from(users).where(or(eq(users.email, name), eq(users.username, name))).limit(10);
    conditions.push(
      or(eq(auditEvents.actorLabel, query.actor), eq(auditEvents.actorLabel, name), matches.length ? inArray(auditEvents.actorId, matches.map((m) => m.id)) : undefined),
    );
  }
  if (query.action) conditions.push(eq(auditEvents.action, query.action));
  if (query.from) conditions.push(gte(auditEvents.at, new Date(`${query.from}T00:00:00Z`)));
  if (query.to) conditions.push(lt(auditEvents.at, sql`${`${query.to}T00:00:00Z`}::timestamptz + interval '1 day'`));
  return conditions.length ? and(...conditions) : undefined;
}

/** The audit log, newest first, one page at a time. */
export async function listAuditEvents(caller: Caller, query: AuditQuery): Promise<{ rows: AuditRow[]; total: number; page: number; pageSize: number }> {
  assertGlobalAdmin(caller);
  const db = await getDb();
  const where = await filtersFor(query);
  const [[total], rows] = await Promise.all([
    db.select({ n: count() }).from(auditEvents).where(where),
    db
      .select({
        id: auditEvents.id,
        at: auditEvents.at,
        actorLabel: auditEvents.actorLabel,
        action: auditEvents.action,
        targetType: auditEvents.targetType,
        targetId: auditEvents.targetId,
        targetLabel: auditEvents.targetLabel,
        actorId: auditEvents.actorId,
        actorKeyId: auditEvents.actorKeyId,
        ip: auditEvents.ip,
        details: auditEvents.details,
      })
      .from(auditEvents)
      .where(where)
      .orderBy(desc(auditEvents.at), desc(auditEvents.id))
      .limit(query.size)
      .offset((query.page - 1) * query.size),
  ]);
  return { rows: await withSentences(rows), total: total?.n ?? 0, page: query.page, pageSize: query.size };
}
