import { ForbiddenError } from "@/lib/errors";

/**
 * Whoever asks the admin functions in lib/: the console's session user or, in
 * the REST API, a verified key's owner. Only the flag is needed, but every
 * function checks it itself so that no caller can forget.
 */
export type AdminCaller = { id: string; isOrgAdmin: boolean };

export function assertOrgAdmin(caller: { isOrgAdmin: boolean } | null | undefined): void {
  if (!caller?.isOrgAdmin) throw new ForbiddenError("Only Global Admins can do this.");
}
