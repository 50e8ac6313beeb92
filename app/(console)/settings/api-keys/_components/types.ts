import type { KeyStatus } from "@/lib/keys/lifecycle";

/** One row of the API keys table, as the browser receives it: display parts only, never a hash or the key. */
export type KeyRow = {
  id: string;
  name: string;
  masked: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  graceExpiresAt: string | null;
  status: KeyStatus;
  /** Revoked by a Global Admin, not by me. */
  revokedByAdmin: boolean;
  accepted: number;
  refused: number;
  /** "Docs (Viewer), Billing (Editor)", or null for all of my projects. */
  access: string | null;
  /** The restriction's ids (for the Edit dialog), or null for all of my projects. */
  restriction: { projectId: string; roleId: string }[] | null;
  /** The lifetime it was given in days (what a rotation gives the new key by default); null = no expiration. */
  expiresInDays: number | null;
  /** Its own expiry, whatever a rotation's grace says (a rotation's cut-off never outlives it). */
  ownExpiresAt: string | null;
};
