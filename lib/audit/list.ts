import "server-only";
import { and, count, desc, eq, gte, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { auditEvents, users } from "@/lib/db/schema";
import type { Caller } from "@/lib/caller";
import { assertGlobalAdmin } from "@/lib/policy";
import type { AuditQuery } from "./schemas";

export type AuditRow = {
  id: number;
  at: Date;
  actorLabel: string;
  action: string;
  targetType: string | null;
  targetLabel: string | null;
  ip: string | null;
  details: Record<string, unknown> | null;
};

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
        targetLabel: auditEvents.targetLabel,
        ip: auditEvents.ip,
        details: auditEvents.details,
      })
      .from(auditEvents)
      .where(where)
      .orderBy(desc(auditEvents.at), desc(auditEvents.id))
      .limit(query.size)
      .offset((query.page - 1) * query.size),
  ]);
  return { rows, total: total?.n ?? 0, page: query.page, pageSize: query.size };
}
