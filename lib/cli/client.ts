/** A small client for Latchkey's REST API that turns every failure into a one-line message a person can act on. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

type Problem = { title?: string; detail?: string; code?: string; status?: number; errors?: Record<string, string[]>; limit?: { name: string; value: unknown } };

const KEY_REFUSED: Record<string, string> = {
  missing_key: "no key was sent",
  key_malformed: "it is not a Latchkey key (wrong format or checksum)",
  key_unknown: "the server does not know it",
  key_expired: "it has expired",
  key_revoked: "it has been revoked",
  owner_disabled: "its owner is disabled",
};

export async function api<T>(baseUrl: string, key: string, method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, accept: "application/json", ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw new CliError(`Cannot reach Latchkey at ${baseUrl} (${cause}). Check the URL and that the server is running.`);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    throw new CliError(`${baseUrl} answered ${res.status} with something that is not Latchkey's API. Check the URL.`);
  }
  if (res.ok) return data as T;
  const p = (data ?? {}) as Problem;
  const detail = p.detail ?? p.title ?? `HTTP ${res.status}`;
  if (res.status === 401) {
    throw new CliError(`The key was refused: ${KEY_REFUSED[p.code ?? ""] ?? detail} (${p.code ?? "unauthorized"}). Run \`latchkey auth login\` with a valid key.`);
  }
  if (res.status === 429) {
    const retry = Number(res.headers.get("retry-after") ?? "0");
    throw new CliError(`Rate limited by ${baseUrl}: try again in ${retry || "a few"} second${retry === 1 ? "" : "s"}.`);
  }
  if (res.status === 403) throw new CliError(`Permission denied: ${detail}`);
  if (res.status === 404) throw new CliError(`Not found: ${detail}`);
  if (res.status === 422 && p.limit) throw new CliError(`Refused by the key policy (${p.limit.name}: ${String(p.limit.value)}): ${detail}`);
  if (res.status === 422 && p.errors) {
    throw new CliError(`Invalid input: ${Object.entries(p.errors).map(([f, m]) => `${f}: ${m.join(" ")}`).join("; ")}`);
  }
  throw new CliError(`${p.title ?? "Request failed"}: ${detail}`);
}

export type Me = {
  owner: { id: string; username: string; name: string; kind: string; email: string | null; isOrgAdmin: boolean };
  key: { id: string; name: string; kind: string; start: string; lastFour: string; expiresAt: string | null };
  projects: { id: string; slug: string; name: string; role: string; permissions: string[] }[];
};

export type ApiKey = {
  id: string;
  name: string;
  kind: string;
  start: string;
  lastFour: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  status: string;
  revokedAt: string | null;
  /** Revoked by a Global Admin rather than by its owner. */
  revokedByAdmin?: boolean;
  graceExpiresAt: string | null;
  /** Null: the token reaches all of its owner's projects with the owner's roles. */
  restriction?: { projectId: string; projectName: string; roleId: string; roleName: string }[] | null;
};
