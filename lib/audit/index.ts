import "server-only";
import type { Caller } from "@/lib/caller";
import type { Db, Tx } from "@/lib/db/client";
import { auditEvents } from "@/lib/db/schema";

/** Who did something, as the audit log and the guards see it. */
export type Actor = {
  id: string | null;
  label: string;
  keyId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
};

/** The caller as the audit log records it: who, with which key, from where. */
export function actorOf(caller: Caller): Actor {
  return { id: caller.id, label: caller.email ?? caller.username, keyId: caller.key?.id ?? null, ip: caller.ip, userAgent: caller.userAgent };
}

/** Who acts when the server makes sure of the ADMIN_EMAIL admin at start. */
export const STARTUP_ACTOR: Actor = { id: null, label: "ADMIN_EMAIL" };

export type AuditEntry = {
  action: string;
  targetType?: string;
  targetId?: string;
  targetLabel?: string;
  details?: Record<string, unknown>;
};

/** Appends one event and returns its id; pass the transaction that makes the change so both land or neither does. */
export async function writeAudit(tx: Db | Tx, actor: Actor, entry: AuditEntry): Promise<number> {
  const [row] = await tx.insert(auditEvents).values({
    actorId: actor.id,
    actorLabel: actor.label,
    actorKeyId: actor.keyId ?? null,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    targetLabel: entry.targetLabel ?? null,
    ip: actor.ip ?? null,
    userAgent: actor.userAgent?.slice(0, 512) ?? null,
    details: entry.details ?? null,
  }).returning({ id: auditEvents.id });
  return row!.id;
}
