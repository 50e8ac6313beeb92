import { parseArgs } from "node:util";
import { displayParts, maskKey, parseKey } from "../keys/format";
import { api, type ApiKey, CliError, type Me } from "./client";
import { configPath, normalizeUrl, readConfig, type ServerEntry, writeConfig } from "./config";
import { type ProjectRef, resolveProjects, resolveToken, STATUS_WORDS, type TokenPurpose } from "./resolve";

type Out = { stdout: (s: string) => void; stderr: (s: string) => void; stdin: () => Promise<string>; env: NodeJS.ProcessEnv };

const HELP: Record<string, string> = {
  root: `latchkey — manage Latchkey API keys from a terminal

Usage: latchkey <command> [options]

Commands:
  auth login     Check a key against a Latchkey server and remember both
  auth show      List the configured servers and whose keys they hold
  auth logout    Forget a configured server (or all of them)
  tokens create  Create a personal access token
  tokens list    List your personal access tokens
  tokens rotate  Replace a token with a new one
  tokens edit    Rename a token, change its expiry or the projects it reaches
  tokens revoke  Revoke a token

Run \`latchkey <command> --help\` for a command's options. Every command takes --json.
Environment: LATCHKEY_URL and LATCHKEY_API_KEY override the configured server and key.`,
  auth: `Usage: latchkey auth <login|show|logout> [options]`,
  "auth login": `Usage: latchkey auth login --url URL --key KEY [--json]

Checks the key with GET /api/v1/me and saves URL and key to ${"$"}XDG_CONFIG_HOME/latchkey/config.json (mode 0600).
  --url URL   Latchkey's address (or LATCHKEY_URL)
  --key KEY   The API key; "-" reads it from standard input (or LATCHKEY_API_KEY), so it stays out of shell history`,
  "auth show": `Usage: latchkey auth show [--json]

Lists the configured servers, their keys (start…last four) and who each key belongs to.`,
  "auth logout": `Usage: latchkey auth logout [--url URL | --all] [--json]

Forgets the current server's key, the one given with --url, or all of them.`,
  tokens: `Usage: latchkey tokens <create|list|rotate|edit|revoke> [options]`,
  "tokens edit": `Usage: latchkey tokens edit TOKEN [--name NAME] [--days N | --no-expiry] [--project PROJECT[:ROLE]]... | [--all-projects] [--json]

Edits a token; the key itself stays the same. TOKEN is the token's ID, its name, or its start as \`tokens list\` shows it (lk_pat_AbCd).
  --name NAME                A new name (unique among your tokens)
  --days N                   Expires N days from now, 1–3650, within the organization's key policy
  --no-expiry                Never expires (if the key policy allows it)
  --project PROJECT[:ROLE]   Limit the token to these projects (repeat it for each; they replace any it had).
                             PROJECT is a project's slug or ID; ROLE a role's name or ID, no greater than yours
                             there (default: your own role there)
  --all-projects             Lift a project restriction: the token reaches all your projects`,
  "tokens create": `Usage: latchkey tokens create --name NAME [--days N | --no-expiry] [--project PROJECT[:ROLE]]... [--login] [--json]

Creates a personal access token and prints it once.
  --name NAME                A name to recognise it by (unique among your tokens)
  --days N                   Days until it expires, 1–3650 (default: the organization's key policy)
  --no-expiry                Never expires (not recommended)
  --project PROJECT[:ROLE]   Limit the token to these projects (repeat it for each; default: all your projects).
                             PROJECT is a project's slug or ID; ROLE a role's name or ID, no greater than yours
                             there (default: your own role there)
  --login                    Also make it the key this CLI uses for this server`,
  "tokens list": `Usage: latchkey tokens list [--all] [--json]

Lists your tokens: id, name, key (start…last four), created, last used, expires, status.
  --all   Include revoked tokens`,
  "tokens rotate": `Usage: latchkey tokens rotate TOKEN [--grace immediately|1h|24h|7d] [--days N | --no-expiry] [--json]

Replaces the token with a new one (same name and restriction) and prints the new key once.
TOKEN is the token's ID, its name, or its start as \`tokens list\` shows it (lk_pat_AbCd).
  --grace       When the old token stops working (default: immediately; never after its own expiry)
  --days N      The new token's lifetime, 1–3650 (default: the old token's)
  --no-expiry   The new token never expires
Both within the organization's key policy.`,
  "tokens revoke": `Usage: latchkey tokens revoke TOKEN [--json]

Revokes the token at once. TOKEN is the token's ID, its name, or its start as \`tokens list\` shows it (lk_pat_AbCd).
Revoking a token that is already revoked changes nothing and exits 1.`,
};

const GRACES = ["immediately", "1h", "24h", "7d"];

type Values = Record<string, string | boolean | string[] | undefined>;

function parse(args: string[], options: Record<string, { type: "string" | "boolean"; multiple?: boolean }>): { values: Values; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args, options: { ...options, help: { type: "boolean", short: "h" }, json: { type: "boolean" } }, allowPositionals: true, strict: true });
    return { values: values as Values, positionals };
  } catch (error) {
    throw new CliError((error as Error).message.split("\n")[0]!, 2);
  }
}

async function readKeyArg(value: string | undefined, io: Out): Promise<string> {
  const raw = value === "-" ? await io.stdin() : (value ?? io.env.LATCHKEY_API_KEY);
  const key = raw?.trim();
  if (!key) throw new CliError("No key given: use --key KEY, --key - (standard input) or LATCHKEY_API_KEY.", 2);
  if (!parseKey(key)) throw new CliError("That is not a Latchkey API key (expected lk_pat_… or lk_sa_… with a valid checksum). Check for a copy-paste mistake.");
  return key;
}

/** The server and key a command uses: environment first, then the configured current server. */
function target(io: Out): { url: string; key: string; entry?: ServerEntry } {
  const config = readConfig(io.env);
  const url = io.env.LATCHKEY_URL ? normalizeUrl(io.env.LATCHKEY_URL) : config.current;
  if (!url) throw new CliError("Not signed in: run `latchkey auth login --url URL --key -` first.");
  const entry = config.servers[url];
  const key = io.env.LATCHKEY_API_KEY?.trim() || entry?.key;
  if (!key) throw new CliError(`No key for ${url}: run \`latchkey auth login --url ${url} --key -\`.`);
  return { url, key, entry };
}

function saveLogin(io: Out, url: string, key: string, me: Me): ServerEntry {
  const config = readConfig(io.env);
  const entry: ServerEntry = {
    url,
    key,
    keyId: me.key.id,
    keyName: me.key.name,
    owner: { id: me.owner.id, username: me.owner.username, name: me.owner.name, kind: me.owner.kind },
    savedAt: new Date().toISOString(),
  };
  config.servers[url] = entry;
  config.current = url;
  writeConfig(config, io.env);
  return entry;
}

const date = (v: string | null, empty = "never") => (v ? v.slice(0, 10) : empty);

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n");
}

/** `--project` as the restriction the server takes, each project found among mine (GET /projects). */
async function restrictionFrom(t: { url: string; key: string }, specs: string[]) {
  const { projects } = await api<{ projects: ProjectRef[] }>(t.url, t.key, "GET", "/projects");
  return resolveProjects(projects, specs);
}

const reach = (k: ApiKey) => (k.restriction ? `limited to ${k.restriction.map((r) => `${r.projectName} (${r.roleName})`).join(", ")}` : "all your projects");

/** The server, and the token of mine that `ref` names there (see resolveToken). */
async function findToken(io: Out, ref: string | undefined, purpose: TokenPurpose): Promise<{ t: ReturnType<typeof target>; token: ApiKey }> {
  if (!ref) throw new CliError(`Say which token: latchkey tokens ${purpose} TOKEN (its ID, name or start; see \`latchkey tokens list\`).`, 2);
  const t = target(io);
  const { keys } = await api<{ keys: ApiKey[] }>(t.url, t.key, "GET", "/keys?includeRevoked=true");
  return { t, token: resolveToken(keys, ref, purpose) };
}

async function run(argv: string[], io: Out): Promise<void> {
  const [group, command, ...rest] = argv;
  const name = [group, command].filter(Boolean).join(" ");
  if (!group || group === "--help" || group === "-h" || group === "help") return io.stdout(HELP.root!);
  if ((group === "auth" || group === "tokens") && (!command || command === "--help" || command === "-h")) return io.stdout(HELP[group]!);
  if (!HELP[name]) throw new CliError(`Unknown command "${name}". Run \`latchkey --help\`.`, 2);
  const print = (json: boolean | undefined, human: string, data: unknown) => io.stdout(json ? JSON.stringify(data, null, 2) : human);

  switch (name) {
    case "auth login": {
      const { values } = parse(rest, { url: { type: "string" }, key: { type: "string" } });
      if (values.help) return io.stdout(HELP[name]!);
      const rawUrl = (values.url as string | undefined) ?? io.env.LATCHKEY_URL;
      if (!rawUrl) throw new CliError("No URL given: use --url URL or LATCHKEY_URL.", 2);
      const url = normalizeUrl(rawUrl);
      const key = await readKeyArg(values.key as string | undefined, io);
      const me = await api<Me>(url, key, "GET", "/me");
      saveLogin(io, url, key, me);
      return print(values.json as boolean, `Signed in to ${url} as ${me.owner.username} (${me.owner.name}) with key "${me.key.name}" (${maskKey(me.key.start, me.key.lastFour)}).\nSaved to ${configPath(io.env)}.`, { url, owner: me.owner, key: me.key });
    }
    case "auth show": {
      const { values } = parse(rest, {});
      if (values.help) return io.stdout(HELP[name]!);
      const config = readConfig(io.env);
      const servers = Object.values(config.servers).map((s) => {
        const { start, lastFour } = displayParts(s.key);
        return { url: s.url, current: s.url === config.current, key: maskKey(start, lastFour), keyName: s.keyName, owner: s.owner };
      });
      if (!servers.length) return print(values.json as boolean, "No servers configured. Run `latchkey auth login --url URL --key -`.", { servers });
      const rows = [["", "URL", "KEY", "NAME", "WHO"], ...servers.map((s) => [s.current ? "*" : "", s.url, s.key, s.keyName, `${s.owner.username} (${s.owner.kind === "api_account" ? "API account" : s.owner.name})`])];
      return print(values.json as boolean, table(rows), { servers });
    }
    case "auth logout": {
      const { values } = parse(rest, { url: { type: "string" }, all: { type: "boolean" } });
      if (values.help) return io.stdout(HELP[name]!);
      const config = readConfig(io.env);
      const urls = values.all ? Object.keys(config.servers) : [values.url ? normalizeUrl(values.url as string) : config.current].filter((u): u is string => !!u);
      const known = urls.filter((u) => config.servers[u]);
      if (!known.length) throw new CliError(values.url ? `${values.url} is not configured.` : "Not signed in to any server.");
      for (const u of known) delete config.servers[u];
      if (!config.current || known.includes(config.current)) config.current = Object.keys(config.servers)[0];
      writeConfig(config, io.env);
      return print(values.json as boolean, `Forgot ${known.join(", ")}. (The keys still work until revoked: \`latchkey tokens revoke TOKEN\`.)`, { removed: known });
    }
    case "tokens create": {
      const { values } = parse(rest, { name: { type: "string" }, days: { type: "string" }, "no-expiry": { type: "boolean" }, project: { type: "string", multiple: true }, login: { type: "boolean" } });
      if (values.help) return io.stdout(HELP[name]!);
      if (!values.name) throw new CliError("Give the token a name: --name NAME.", 2);
      if (values.days && values["no-expiry"]) throw new CliError("Use either --days or --no-expiry, not both.", 2);
      // Left out: the server gives the organization's default expiry (its key policy).
      const days = values["no-expiry"] ? null : values.days === undefined ? undefined : Number(values.days);
      if (days !== null && days !== undefined && (!Number.isInteger(days) || days < 1 || days > 3650)) throw new CliError("--days must be a whole number from 1 to 3650.", 2);
      const t = target(io);
      const projects = (values.project as string[] | undefined) ?? [];
      const restriction = projects.length ? await restrictionFrom(t, projects) : null;
      const created = await api<{ key: ApiKey; secret: string }>(t.url, t.key, "POST", "/keys", { name: values.name, expiresInDays: days, restriction });
      if (values.login) {
        const me = await api<Me>(t.url, created.secret, "GET", "/me");
        saveLogin(io, t.url, created.secret, me);
      }
      const note = `Token "${created.key.name}" (${created.key.id}) created, ${created.key.expiresAt ? `expires ${date(created.key.expiresAt)}` : "never expires"}${restriction ? `, ${reach(created.key)}` : ""}.${values.login ? " It is now the key this CLI uses." : ""}\nCopy it now: it will not be shown again.`;
      if (values.json) return io.stdout(JSON.stringify({ key: created.key, secret: created.secret, login: !!values.login }, null, 2));
      io.stderr(note);
      return io.stdout(created.secret);
    }
    case "tokens list": {
      const { values } = parse(rest, { all: { type: "boolean" } });
      if (values.help) return io.stdout(HELP[name]!);
      const t = target(io);
      const { keys } = await api<{ keys: ApiKey[] }>(t.url, t.key, "GET", `/keys${values.all ? "?includeRevoked=true" : ""}`);
      if (values.json) return io.stdout(JSON.stringify({ keys }, null, 2));
      if (!keys.length) return io.stdout("No tokens. Create one with `latchkey tokens create --name NAME`.");
      const rows = [
        ["ID", "NAME", "KEY", "CREATED", "LAST USED", "EXPIRES", "STATUS"],
        ...keys.map((k) => [k.id, k.name, maskKey(k.start, k.lastFour), date(k.createdAt), date(k.lastUsedAt), date(k.expiresAt), k.revokedByAdmin ? "Revoked by an administrator" : (STATUS_WORDS[k.status] ?? k.status)]),
      ];
      return io.stdout(table(rows));
    }
    case "tokens rotate": {
      const { values, positionals } = parse(rest, { grace: { type: "string" }, days: { type: "string" }, "no-expiry": { type: "boolean" } });
      if (values.help) return io.stdout(HELP[name]!);
      const grace = (values.grace as string | undefined) ?? "immediately";
      if (!GRACES.includes(grace)) throw new CliError(`--grace must be one of ${GRACES.join(", ")}.`, 2);
      if (values.days && values["no-expiry"]) throw new CliError("Use either --days or --no-expiry, not both.", 2);
      const days = values["no-expiry"] ? null : values.days === undefined ? undefined : Number(values.days);
      if (days !== null && days !== undefined && (!Number.isInteger(days) || days < 1 || days > 3650)) throw new CliError("--days must be a whole number from 1 to 3650.", 2);
      const { t, token } = await findToken(io, positionals[0], "rotate");
      const { id } = token;
      const rotated = await api<{ key: ApiKey; secret: string; oldKeyStopsAt: string }>(t.url, t.key, "POST", `/keys/${encodeURIComponent(id)}/rotate`, { grace, expiresInDays: days });
      // Rotating the key this CLI signs in with would lock the CLI out: follow the rotation.
      const followed = t.entry?.keyId === id && !io.env.LATCHKEY_API_KEY;
      if (followed) saveLogin(io, t.url, rotated.secret, await api<Me>(t.url, rotated.secret, "GET", "/me"));
      if (values.json) return io.stdout(JSON.stringify({ ...rotated, login: followed }, null, 2));
      io.stderr(`Token "${rotated.key.name}" rotated; the old key stops working ${grace === "immediately" ? "now" : `at ${rotated.oldKeyStopsAt}`}; the new one ${rotated.key.expiresAt ? `expires ${date(rotated.key.expiresAt)}` : "never expires"}.${followed ? " The CLI now uses the new key." : ""}\nCopy the new key now: it will not be shown again.`);
      return io.stdout(rotated.secret);
    }
    case "tokens edit": {
      const { values, positionals } = parse(rest, {
        name: { type: "string" },
        days: { type: "string" },
        "no-expiry": { type: "boolean" },
        project: { type: "string", multiple: true },
        "all-projects": { type: "boolean" },
      });
      if (values.help) return io.stdout(HELP[name]!);
      if (values.days && values["no-expiry"]) throw new CliError("Use either --days or --no-expiry, not both.", 2);
      const projects = (values.project as string[] | undefined) ?? [];
      if (projects.length && values["all-projects"]) throw new CliError("Use either --project or --all-projects, not both.", 2);
      const changes: Record<string, unknown> = {};
      if (values.name !== undefined) changes.name = values.name;
      if (values["no-expiry"]) changes.expiresInDays = null;
      else if (values.days !== undefined) {
        const days = Number(values.days);
        if (!Number.isInteger(days) || days < 1 || days > 3650) throw new CliError("--days must be a whole number from 1 to 3650.", 2);
        changes.expiresInDays = days;
      }
      if (values["all-projects"]) changes.restriction = null;
      if (!Object.keys(changes).length && !projects.length) throw new CliError("Say what to change: --name, --days, --no-expiry, --project or --all-projects.", 2);
      const { t, token } = await findToken(io, positionals[0], "edit");
      if (projects.length) changes.restriction = await restrictionFrom(t, projects);
      const { key } = await api<{ key: ApiKey }>(t.url, t.key, "PATCH", `/keys/${encodeURIComponent(token.id)}`, changes);
      return print(values.json as boolean, `Token "${key.name}" (${maskKey(key.start, key.lastFour)}, ${key.id}) saved; ${key.expiresAt ? `expires ${date(key.expiresAt)}` : "never expires"}${"restriction" in changes ? `; ${reach(key)}` : ""}.`, { key });
    }
    case "tokens revoke": {
      const { values, positionals } = parse(rest, {});
      if (values.help) return io.stdout(HELP[name]!);
      const { t, token } = await findToken(io, positionals[0], "revoke");
      await api(t.url, t.key, "DELETE", `/keys/${encodeURIComponent(token.id)}`);
      const own = t.entry?.keyId === token.id;
      return print(
        values.json as boolean,
        `Token "${token.name}" (${maskKey(token.start, token.lastFour)}, ${token.id}) revoked.${own ? " It was this CLI's key: run `latchkey auth login` with another key." : ""}`,
        { revoked: token.id, name: token.name },
      );
    }
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function main(argv: string[], io: Out = { stdout: (s) => console.log(s), stderr: (s) => console.error(s), stdin: readStdin, env: process.env }): Promise<number> {
  try {
    await run(argv, io);
    return 0;
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr(`latchkey: ${error.message}`);
      return error.exitCode;
    }
    io.stderr(`latchkey: ${(error as Error).message ?? String(error)}`);
    return 1;
  }
}
