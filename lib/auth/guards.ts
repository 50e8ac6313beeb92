import "server-only";
import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import type { Caller } from "@/lib/caller";
import { CLIENT_IP_HEADER } from "@/lib/http/client-ip";
import { isGlobalAdmin } from "@/lib/policy";
import { getAuthOptions } from "./options";
import { type CurrentUser, getSessionUserBySession } from "@/lib/users/sessions";
import { touchLastActive } from "./sign-in";

/**
 * The signed-in user and their session, read again from the database on every
 * request (one query): a person who signed out, was signed out by an admin, was
 * disabled or deleted, or whose password changed is out on the next click.
 */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await getServerSession(getAuthOptions());
  const claims = session?.user as { id?: string; sid?: string } | undefined;
  if (!claims?.id || !claims.sid) return null;
  const user = await getSessionUserBySession(claims.id, claims.sid);
  if (!user || user.kind !== "human" || user.status !== "active") return null;
  await touchLastActive(user.id);
  return user;
});

/** Where a person whose password must change is sent; it lives outside the console layout, so it cannot loop. */
export const CHANGE_PASSWORD_PATH = "/profile/password";

/**
 * For pages and server actions: this request's Caller (the signed-in person,
 * with the request's address), or off to /login. A person who must change
 * their password is sent to CHANGE_PASSWORD_PATH from everywhere except the
 * page and action that change it (`allowPendingPasswordChange`).
 */
export async function requireUser(opts: { allowPendingPasswordChange?: boolean } = {}): Promise<Caller> {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  if (user.mustChangePassword && !opts.allowPendingPasswordChange) redirect(CHANGE_PASSWORD_PATH);
  const { id, kind, username, email, name, isOrgAdmin, apiAccess, status, sessionId } = user;
  return { id, kind, username, email, name, isOrgAdmin, apiAccess, status, key: null, sessionId, ...(await requestMeta()) };
}

/** Global Admins only (lib/policy isGlobalAdmin); everyone else sees the page as if it did not exist. */
export async function requireAdmin(): Promise<Caller> {
  const caller = await requireUser();
  if (!isGlobalAdmin(caller)) notFound();
  return caller;
}

/** Where this request comes from, for work done before anyone is signed in (first-run setup). */
export async function requestMeta(): Promise<{ ip: string; userAgent: string | null }> {
  const h = await headers();
  return { ip: h.get(CLIENT_IP_HEADER) ?? "unknown", userAgent: h.get("user-agent") };
}
