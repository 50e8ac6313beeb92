import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";

/** One configured server: its URL, the key, and who that key was when it was checked. */
export type ServerEntry = {
  url: string;
  key: string;
  keyId: string;
  keyName: string;
  owner: { id: string; username: string; name: string; kind: string };
  savedAt: string;
};

export type CliConfig = { current?: string; servers: Record<string, ServerEntry> };

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || path.join(homedir(), ".config");
  return path.join(base, "latchkey", "config.json");
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): CliConfig {
  const file = configPath(env);
  if (!existsSync(file)) return { servers: {} };
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as CliConfig;
    return { current: parsed.current, servers: parsed.servers ?? {} };
  } catch {
    throw new Error(`The config file ${file} is not valid JSON. Fix it or delete it and run \`latchkey auth login\` again.`);
  }
}

/** Written atomically with mode 0600 (directory 0700): the file holds keys. */
export function writeConfig(config: CliConfig, env: NodeJS.ProcessEnv = process.env): void {
  const file = configPath(env);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(config, null, 2) + "\n", { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

export function normalizeUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`"${raw}" is not a URL. Use the address you open Latchkey at, e.g. https://latchkey.example.com`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`"${raw}" must start with http:// or https://`);
  return url.origin + url.pathname.replace(/\/+$/, "");
}
