import type { Caller } from "@/lib/caller";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { allows } from "./permissions";

/**
 * Every "may X do Y" of Latchkey, each a named predicate: the console's pages
 * and server actions, the REST routes and (through them) the CLI all ask
 * here, and lib/ asks again inside every function that acts for a caller.
 * A rule changes in one line. Pure: no database, no request.
 *
 * The rules about keys made and managed through the API (issue: a leaked key
 * must not give lasting access):
 * - A key limited to some projects may rotate or revoke itself, nothing else.
 * - A key being replaced (in a rotation's grace period) may revoke itself and
 *   otherwise only use the API: it manages no keys, so an old key cannot
 *   rotate its own replacement away from the owner.
 * - A key made by a key dies with it (revoking the maker revokes it) and never
 *   outlives it (its expiry is capped at the maker's, also through rotation):
 *   see lib/keys/personal.ts.
 * - An API account may rotate its own key (and only the one it calls with);
 *   it never creates keys: a Global Admin manages an API account's keys.
 */

type Subject = Pick<Caller, "status" | "kind" | "isOrgAdmin" | "apiAccess">;

/** Acts as a Global Admin: an active Global Admin in the console, or through an unrestricted key of theirs. */
export function isGlobalAdmin(c: Caller): boolean {
  return c.status === "active" && c.kind === "human" && c.isOrgAdmin && !c.key?.restricted;
}

/** A Global Admin, whatever the key's restriction: for telling "not an admin" from "use an unrestricted key". */
export function isOrgAdminAccount(c: Pick<Caller, "status" | "kind" | "isOrgAdmin">): boolean {
  return c.status === "active" && c.kind === "human" && c.isOrgAdmin;
}

/** May hold personal keys (and have them accepted): active, with API access. Global Admins always have it. */
export function mayHoldKeys(u: Subject): boolean {
  return u.status === "active" && (u.apiAccess || u.isOrgAdmin || u.kind === "api_account");
}

/** The figures of the whole organization (every user's keys and traffic) on the dashboard. */
export function mayViewOrgStats(c: Caller): boolean {
  return isGlobalAdmin(c);
}

/** Whether the key the caller uses may manage keys at all (a key being replaced may only revoke itself). */
function keyManagesKeys(c: Caller): boolean {
  return !c.key?.beingReplaced;
}

/** May manage the organization's keys (API-account keys; others' keys): a Global Admin whose key is not being replaced. */
export function mayAdministerKeys(c: Caller): boolean {
  return isGlobalAdmin(c) && keyManagesKeys(c);
}

/** May generate a new personal key: a person who may hold keys, from the console or an unrestricted key not being replaced. */
export function mayCreateKeys(c: Caller): boolean {
  return c.kind === "human" && mayHoldKeys(c) && !c.key?.restricted && keyManagesKeys(c);
}

export type KeyAction = "rotate" | "revoke" | "edit";

/**
 * May rotate, revoke or edit this key of theirs (someone else's key is not
 * theirs to manage: callers answer that as not found, see assertOwnKey).
 */
export function mayManageKey(c: Caller, key: { id: string; ownerId: string }, action: KeyAction): boolean {
  if (key.ownerId !== c.id) return false;
  // Rotating makes a key, so it needs the right to hold keys; revoking never does.
  if (action !== "revoke" && !mayHoldKeys(c)) return false;
  if (!c.key) return c.kind === "human";
  const itself = key.id === c.key.id;
  if (c.key.beingReplaced) return itself && action === "revoke";
  if (c.key.restricted || c.kind === "api_account") return itself && action !== "edit";
  return true;
}

/** May see which keys: all of the owner's, or only the key it calls with (a key limited to some projects). */
export function keyListScope(c: Caller): "owner" | "self" {
  return c.key?.restricted || c.kind === "api_account" ? "self" : "owner";
}

/** The permission that lets a key ask POST /keys/verify about other keys, in the projects where it holds it. */
export const VERIFY_PERMISSION = "keys:verify";

/**
 * Which projects the caller may verify keys for: all of them (null) for a
 * Global Admin, else those where its key holds VERIFY_PERMISSION; none is a refusal.
 */
export function verifierScope(c: Caller, projects: readonly { id: string; permissions: readonly string[] }[]): ReadonlySet<string> | null {
  if (isGlobalAdmin(c)) return null;
  const ids = projects.filter((p) => allows(p.permissions, VERIFY_PERMISSION)).map((p) => p.id);
  if (!ids.length) {
    throw new ForbiddenError(`Verifying keys needs the ${VERIFY_PERMISSION} permission in a project (the Admin role has it), or an unrestricted Global Admin key.`);
  }
  return new Set(ids);
}

/** Keys made through the API belong to the key that made them: they die with it and never outlive it. */
export function makerOf(c: Caller): { keyId: string; expiresAt: Date | null } | null {
  return c.key ? { keyId: c.key.id, expiresAt: c.key.expiresAt } : null;
}

// ---- Asserting: the same predicates, as the error each door answers -----------------------------

export const ONLY_ADMINS = "Only Global Admins can do this.";
export const NEEDS_UNRESTRICTED_KEY =
  "Administration needs an unrestricted key: this key is limited to some projects. Use a key of yours without a project restriction.";

export function assertGlobalAdmin(c: Caller): void {
  if (isGlobalAdmin(c)) return;
  throw new ForbiddenError(isOrgAdminAccount(c) ? NEEDS_UNRESTRICTED_KEY : ONLY_ADMINS);
}

export function assertMayHoldKeys(c: Caller): void {
  if (c.status !== "active") throw new ForbiddenError("This account is disabled.");
  if (!mayHoldKeys(c)) throw new ForbiddenError("You do not have API access. Ask a Global Admin to grant it.");
}

export function assertMayCreateKeys(c: Caller): void {
  assertMayHoldKeys(c);
  if (c.kind === "api_account") throw new ForbiddenError("API accounts cannot create keys; a Global Admin manages an API account's key.");
  if (c.key?.restricted) throw new ForbiddenError("A key limited to some projects cannot create keys. Use an unrestricted key or the console.");
  if (c.key?.beingReplaced) throw new ForbiddenError(BEING_REPLACED);
}

export function assertMayAdministerKeys(c: Caller): void {
  assertGlobalAdmin(c);
  if (c.key?.beingReplaced) throw new ForbiddenError(BEING_REPLACED);
}

const BEING_REPLACED = "This key is being replaced: it may only revoke itself. Manage keys with its replacement or in the console.";

/** The caller's own key, or NotFoundError (someone else's key does not exist for them); then the action's rule. */
export function assertMayManageKey(c: Caller, key: { id: string; ownerId: string } | undefined, action: KeyAction): void {
  if (!key || key.ownerId !== c.id) throw new NotFoundError("Key not found.");
  if (mayManageKey(c, key, action)) return;
  if (action !== "revoke" && !mayHoldKeys(c)) assertMayHoldKeys(c);
  if (c.key?.beingReplaced) throw new ForbiddenError(BEING_REPLACED);
  if (c.kind === "api_account") throw new ForbiddenError(action === "edit" ? "A Global Admin edits an API account's keys." : "An API account may only rotate or revoke the key it calls with.");
  if (c.key?.restricted) throw new ForbiddenError("A key limited to some projects can only rotate or revoke itself. Use an unrestricted key or the console.");
  throw new ForbiddenError("You may not change this key.");
}

/**
 * May edit this key (rename, expiry, project restriction): the owner's own
 * (mayManageKey "edit"), or, for a Global Admin, an API account's key.
 * Someone else's personal key is not found for the caller.
 */
export function assertMayEditKey(c: Caller, key: { id: string; ownerId: string; kind: "pat" | "sa" } | undefined): void {
  if (key && key.ownerId !== c.id && key.kind === "sa" && isGlobalAdmin(c)) return assertMayAdministerKeys(c);
  assertMayManageKey(c, key, "edit");
}
