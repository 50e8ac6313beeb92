/**
 * Who is asking: the one shape every lib/ function that acts for someone
 * takes. Built once per request — from the console session by
 * lib/auth/guards.ts, from the presented key by the REST pipeline
 * (lib/api/pipeline.ts; the CLI comes this way too) — and judged only by
 * the predicates in lib/policy.
 */
export type CallerKey = {
  id: string;
  /** Limited to some of its owner's projects. */
  restricted: boolean;
  /** Replaced by a rotation and still accepted until its grace period ends. */
  beingReplaced: boolean;
  /** When it stops working by itself (the grace period's end while it is being replaced). */
  expiresAt: Date | null;
};

/** A person or an API account as every door reads it: never a hash. */
export type Person = {
  id: string;
  kind: "human" | "api_account";
  username: string;
  email: string | null;
  name: string;
  isOrgAdmin: boolean;
  apiAccess: boolean;
  status: "active" | "disabled";
};

/** The person, or the key's owner (a person or an API account), and how they asked. */
export type Caller = Person & {
  /** The key the request was made with; null for a console session. */
  key: CallerKey | null;
  /** The console session the request came with (a key's requests have none). */
  sessionId?: string;
  ip: string;
  userAgent: string | null;
};

/** A caller for work nobody asked for over the network (first-run setup, seeds, tests). */
export function systemCaller(user: Omit<Caller, "key" | "ip" | "userAgent">, meta: { ip?: string; userAgent?: string | null } = {}): Caller {
  return { ...user, key: null, ip: meta.ip ?? "127.0.0.1", userAgent: meta.userAgent ?? null };
}
