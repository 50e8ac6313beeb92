import { maskKey } from "../keys/format";
import { type ApiKey, CliError } from "./client";

export const STATUS_WORDS: Record<string, string> = { active: "Active", expiring: "Expires soon", expired: "Expired", revoked: "Revoked", rotating: "Being replaced" };

export type TokenPurpose = "revoke" | "rotate" | "edit";

const named = (k: ApiKey) => `Token "${k.name}" (${maskKey(k.start, k.lastFour)})`;
const line = (k: ApiKey) => `  ${k.id}  ${k.name}  ${maskKey(k.start, k.lastFour)}  ${STATUS_WORDS[k.status] ?? k.status}`;

/** `lk_pat_AbCd…wxyz` as `tokens list` prints it, or with three dots as a terminal may have it. */
function isMasked(ref: string, k: ApiKey): boolean {
  return ref === maskKey(k.start, k.lastFour) || ref === `${k.start}...${k.lastFour}`;
}

/**
 * The one token of mine that `ref` names: its id, its name, or its start as
 * lists show it (`lk_pat_AbCd`, alone or with `…last4`). Revoked tokens only
 * answer when nothing live does, so that a name reused after a revocation
 * means the live one; a rotation's old key (still working until its grace
 * ends) cannot be rotated again, so `rotate` passes it over.
 */
export function resolveToken(keys: ApiKey[], ref: string, purpose: TokenPurpose): ApiKey {
  const wanted = ref.trim();
  const byId = keys.find((k) => k.id === wanted);
  const matches = byId ? [byId] : keys.filter((k) => k.name === wanted || k.start === wanted || isMasked(wanted, k));
  if (!matches.length) {
    throw new CliError(`Not found: none of your tokens has the ID, name or start "${wanted}". See \`latchkey tokens list --all\`.`);
  }
  const usable = matches.filter((k) => k.status !== "revoked" && (purpose === "revoke" || k.status !== "rotating"));
  if (usable.length === 1) return usable[0]!;
  if (usable.length > 1) {
    throw new CliError(`"${wanted}" matches ${usable.length} tokens; give the ID of the one to ${purpose}:\n${usable.map(line).join("\n")}`, 2);
  }
  const rotated = matches.find((k) => k.status === "rotating");
  if (rotated) throw new CliError(`${named(rotated)} has already been rotated; ${purpose} its replacement instead (see \`latchkey tokens list\`).`);
  const revoked = matches[0]!;
  const since = revoked.revokedAt ? ` since ${revoked.revokedAt.slice(0, 16).replace("T", " ")} UTC` : "";
  throw new CliError(`${named(revoked)} is already revoked${since}: nothing to ${purpose}.`);
}
