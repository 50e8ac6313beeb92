import type { KeyKind, UserKind, UserStatus } from "@/lib/db/schema";
import type { KeyStatus } from "@/lib/keys/lifecycle";

/** One row of Global Administration > API Keys as the browser receives it: display parts only. */
export type InventoryRowView = {
  id: string;
  kind: KeyKind;
  name: string;
  masked: string;
  owner: { id: string; name: string; username: string; kind: UserKind; status: UserStatus };
  projects: string[];
  restricted: boolean;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  status: KeyStatus;
  revokedByAdmin: boolean;
  accepted: number;
  refused: number;
};
