import "server-only";
import { and, eq, gt, lt, ne, sql } from "drizzle-orm";
import { actorOf, writeAudit } from "@/lib/audit";
import type { Caller } from "@/lib/caller";
import { getConfig } from "@/lib/config";
import { getDb, type Db, type Tx } from "@/lib/db/client";
import { sessions, users } from "@/lib/db/schema";
import { ForbiddenError } from "@/lib/errors";
import { sessionUserColumns, type SessionUser } from "@/lib/users";

/** The signed-in person and the session their cookie names. */
export type CurrentUser = SessionUser & { sessionId: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A new console session, in the transaction that records the sign-in. Ends
 * SESSION_MAX_AGE later whatever the cookie says. Rows that ended are swept here
 * (an index range), so that the table holds little more than live sessions.
 */
export async function createSession(tx: Tx, userId: string, meta: { ip: string; userAgent: string | null }): Promise<string> {
  await tx.delete(sessions).where(lt(sessions.expiresAt, sql`now()`));
  const [row] = await tx
    .insert(sessions)
    .values({
      userId,
      expiresAt: sql`now() + ${getConfig().sessionMaxAge} * interval '1 second'`,
      ip: meta.ip,
      userAgent: meta.userAgent?.slice(0, 512) ?? null,
    })
    .returning({ id: sessions.id });
  return row!.id;
}

/** The user, if this session of theirs is live: one query per request. */
export async function getSessionUserBySession(userId: string, sessionId: string): Promise<CurrentUser | undefined> {
  if (!UUID.test(userId) || !UUID.test(sessionId)) return undefined;
  const db = await getDb();
  const [row] = await db
    .select({ ...sessionUserColumns, sessionId: sessions.id })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), gt(sessions.expiresAt, sql`now()`)))
    .limit(1);
  return row;
}

/** Sign-out: this session ends on the server, so a copy of its cookie is refused. */
export async function endSession(sessionId: string): Promise<void> {
  if (!UUID.test(sessionId)) return;
  const db = await getDb();
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends every session of the user (or every one but `keep`); returns how many were live. */
export async function endSessions(db: Db | Tx, userId: string, keep?: string): Promise<number> {
  const ended = await db
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), keep ? ne(sessions.id, keep) : undefined))
    .returning({ live: sql<boolean>`${sessions.expiresAt} > now()` });
  return ended.filter((r) => r.live).length;
}

/** The profile's "Sign out of all other sessions": this browser stays signed in. */
export async function endOtherSessions(user: Caller): Promise<number> {
  if (!user.sessionId) throw new ForbiddenError("Only a console session can end your other sessions.");
  const db = await getDb();
  return db.transaction(async (tx) => {
    const sessionsEnded = await endSessions(tx, user.id, user.sessionId);
    await writeAudit(tx, actorOf(user), {
      action: "user.signed_out_other_sessions",
      targetType: "user",
      targetId: user.id,
      targetLabel: user.email ?? user.username,
      details: { sessionsEnded },
    });
    return sessionsEnded;
  });
}
