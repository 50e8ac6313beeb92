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
};
