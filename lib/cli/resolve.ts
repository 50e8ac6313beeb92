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

/** A project as GET /projects lists it for the CLI's key. */
export type ProjectRef = { id: string; slug: string; name: string; role: string };

/** One project of a restriction as PATCH or POST /keys takes it: the role by id or name, or neither (the owner's own role there). */
export type RestrictionItem = { projectId: string; roleId?: string; role?: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `--project slug-or-id[:role]`, each naming one of my projects (GET /projects)
 * and optionally a role by name or id; without one the server gives the key my
 * own role there. Whether the role is within mine is the server's to judge.
 */
export function resolveProjects(projects: ProjectRef[], specs: string[]): RestrictionItem[] {
  const seen = new Set<string>();
  return specs.map((spec) => {
    const at = spec.indexOf(":");
    const ref = (at < 0 ? spec : spec.slice(0, at)).trim();
    const role = at < 0 ? "" : spec.slice(at + 1).trim();
    if (!ref || (at >= 0 && !role)) throw new CliError(`--project takes a project's slug or ID, optionally with a role: --project docs or --project docs:Viewer (got "${spec}").`, 2);
    const project = projects.find((p) => p.id === ref || p.slug === ref) ?? projects.find((p) => p.slug.toLowerCase() === ref.toLowerCase());
    if (!project) {
      const mine = projects.map((p) => p.slug).sort().join(", ");
      throw new CliError(`Not found: you are not a member of a project "${ref}".${mine ? ` Your projects: ${mine}.` : " You are not a member of any project."}`);
    }
    if (seen.has(project.id)) throw new CliError(`--project ${project.slug} is given more than once.`, 2);
    seen.add(project.id);
    return role ? (UUID.test(role) ? { projectId: project.id, roleId: role } : { projectId: project.id, role }) : { projectId: project.id };
  });
}
