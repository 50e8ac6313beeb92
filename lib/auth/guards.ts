import "server-only";
import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import type { Actor } from "@/lib/audit";
import { CLIENT_IP_HEADER } from "@/lib/http/client-ip";
import { getSessionUser, type SessionUser } from "@/lib/users";
import { getAuthOptions } from "./options";
import { touchLastActive } from "./sign-in";

/**
 * The signed-in user, read again from the database on every request: a user
 * disabled, deleted or whose password changed is out on the next click.
 */
export const getCurrentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await getServerSession(getAuthOptions());
  const claims = session?.user as { id?: string; sv?: number } | undefined;
  if (!claims?.id) return null;
  const user = await getSessionUser(claims.id);
  if (!user || user.kind !== "human" || user.status !== "active" || user.sessionVersion !== (claims.sv ?? 0)) return null;
  await touchLastActive(user.id);
  return user;
});

/** Where a person whose password must change is sent; it lives outside the console layout, so it cannot loop. */
export const CHANGE_PASSWORD_PATH = "/profile/password";

/**
 * For pages and server actions: the caller, or off to /login. A person who
 * must change their password is sent to CHANGE_PASSWORD_PATH from everywhere
 * except the page and action that change it (`allowPendingPasswordChange`).
 */
export async function requireUser(opts: { allowPendingPasswordChange?: boolean } = {}): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  if (user.mustChangePassword && !opts.allowPendingPasswordChange) redirect(CHANGE_PASSWORD_PATH);
  return user;
}

/** Global Admins only; everyone else sees the page as if it did not exist. */
export async function requireAdmin(): Promise<SessionUser> {
  const user = await requireUser();
  if (!user.isOrgAdmin) notFound();
  return user;
}

export async function requestMeta(): Promise<{ ip: string; userAgent: string | null }> {
  const h = await headers();
  return { ip: h.get(CLIENT_IP_HEADER) ?? "unknown", userAgent: h.get("user-agent") };
}

/** The signed-in user as an audit actor, with the request's address. */
export async function actorFor(user: SessionUser): Promise<Actor> {
  return { id: user.id, label: user.email ?? user.username, ...(await requestMeta()) };
}
