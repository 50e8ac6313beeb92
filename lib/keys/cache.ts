/**
 * The in-process verification cache: what the database said about a key
 * hash, so that a busy key is answered from memory. It holds no rule of its
 * own; lib/keys/verify.ts judges every answer afresh (expiry, grace periods).
 *
 * Exactness under concurrency rests on one rule: a read of the database
 * takes a ticket first, and its result is kept only if no invalidation
 * happened meanwhile. Without it, a request that read a key while its
 * revocation committed would put the old row back after `invalidate()` had
 * dropped it, and the revoked key would work until the entry aged out.
 *
 * Unknown keys (well-formed, right checksum, not in the database) are kept
 * apart, in a smaller map, so that a flood of made-up keys costs no query
 * each and can never push real keys out. A new key is never delayed by it:
 * creating a key sends `{ scope: "created", hashes }` like any other change,
 * which forgets those hashes as unknown on every instance before the creation
 * answers (and, through the ticket, refuses a read that began before it).
 */
export type Invalidation =
  | { scope: "key"; ids: string[] }
  | { scope: "owner"; id: string }
  | { scope: "created"; hashes: string[] }
  | { scope: "all" };

export type CacheIds = { keyId: string; ownerId: string };
export type CacheLimits = { maxEntries: number; ttlMs: number; maxUnknown: number; unknownTtlMs: number };

type Entry<T> = { value: T; at: number; keyId: string; ownerId: string };

export class VerificationCache<T> {
  private readonly known = new Map<string, Entry<T>>();
  private readonly unknown = new Map<string, number>();
  private readonly byKey = new Map<string, string>();
  /** An owner's cached hashes: most owners have one key, which needs no Set of its own. */
  private readonly byOwner = new Map<string, string | Set<string>>();
  private generation = 0;

  constructor(readonly limits: CacheLimits) {}

  /** Take before reading the database; hand back to `set`/`setUnknown`. */
  ticket(): number {
    return this.generation;
  }

  /** The cached value, `null` for a hash known not to exist, `undefined` when the database must be asked. */
  get(hash: string, now: number): T | null | undefined {
    const entry = this.known.get(hash);
    if (entry) {
      if (now - entry.at <= this.limits.ttlMs) return entry.value;
      this.drop(hash, entry);
      return undefined;
    }
    const unknownAt = this.unknown.get(hash);
    if (unknownAt === undefined) return undefined;
    if (now - unknownAt <= this.limits.unknownTtlMs) return null;
    this.unknown.delete(hash);
    return undefined;
  }

  /** Keeps what a read found, unless an invalidation came between the ticket and now. */
  set(hash: string, value: T, ids: CacheIds, ticket: number, now: number): boolean {
    if (ticket !== this.generation) return false;
    const old = this.known.get(hash);
    if (old) this.drop(hash, old);
    if (this.known.size >= this.limits.maxEntries) this.evictOldest();
    this.known.set(hash, { value, at: now, ...ids });
    this.byKey.set(ids.keyId, hash);
    const hashes = this.byOwner.get(ids.ownerId);
    if (hashes === undefined) this.byOwner.set(ids.ownerId, hash);
    else if (typeof hashes !== "string") hashes.add(hash);
    else if (hashes !== hash) this.byOwner.set(ids.ownerId, new Set([hashes, hash]));
    return true;
  }

  setUnknown(hash: string, ticket: number, now: number): boolean {
    if (ticket !== this.generation) return false;
    if (this.unknown.size >= this.limits.maxUnknown) {
      const oldest = this.unknown.keys().next().value;
      if (oldest !== undefined) this.unknown.delete(oldest);
    }
    this.unknown.set(hash, now);
    return true;
  }

  apply(event: Invalidation): void {
    this.generation++;
    switch (event.scope) {
      case "all":
        this.known.clear();
        this.unknown.clear();
        this.byKey.clear();
        this.byOwner.clear();
        return;
      case "key":
        for (const id of event.ids) {
          const hash = this.byKey.get(id);
          const entry = hash === undefined ? undefined : this.known.get(hash);
          if (entry) this.drop(hash!, entry);
        }
        return;
      case "owner": {
        const hashes = this.byOwner.get(event.id);
        for (const hash of typeof hashes === "string" ? [hashes] : [...(hashes ?? [])]) {
          const entry = this.known.get(hash);
          if (entry) this.drop(hash, entry);
        }
        return;
      }
      case "created":
        for (const hash of event.hashes) this.unknown.delete(hash);
        return;
    }
  }

  get size(): number {
    return this.known.size;
  }

  get unknownSize(): number {
    return this.unknown.size;
  }

  private drop(hash: string, entry: Entry<T>): void {
    this.known.delete(hash);
    if (this.byKey.get(entry.keyId) === hash) this.byKey.delete(entry.keyId);
    const hashes = this.byOwner.get(entry.ownerId);
    if (hashes === hash) this.byOwner.delete(entry.ownerId);
    else if (typeof hashes === "object") {
      hashes.delete(hash);
      if (hashes.size === 1) this.byOwner.set(entry.ownerId, hashes.values().next().value!);
    }
  }

  /** Map keeps insertion order: the first entry is the one filled longest ago. */
  private evictOldest(): void {
    for (const [hash, entry] of this.known) {
      this.drop(hash, entry);
      return;
    }
  }
}
