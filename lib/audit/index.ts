import "server-only";
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

export type AuditEntry = {
  action: string;
  targetType?: string;
  targetId?: string;
  targetLabel?: string;
  details?: Record<string, unknown>;
};

/** Appends one event; pass the transaction that makes the change so both land or neither does. */
export async function writeAudit(tx: Db | Tx, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.insert(auditEvents).values({
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
  });
}
