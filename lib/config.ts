import "server-only";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { processState } from "@/lib/process-state";
import { MIN_PASSWORD_LENGTH } from "@/lib/validation";

const SECRET_RULE = "must be at least 32 characters (try: openssl rand -base64 32)";

/**
 * Configuration from the environment, validated once. Every variable here is
 * documented in the README; an invalid one stops the server with a message
 * that says which and why.
 */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
    .optional(),
  LATCHKEY_DATA_DIR: z.string().min(1).default("./.data"),
  SESSION_MAX_AGE: z.coerce
    .number()
    .int()
    .min(300, "must be at least 300 seconds")
    .max(30 * 24 * 3600, "must be at most 30 days (keys, not sessions, are for long-running scripts)")
    .default(8 * 3600),
  AUTH_SECRET: z.string().min(32, SECRET_RULE).optional(),
  AUTH_SECRET_FILE: z.string().min(1).optional(),
  ADMIN_EMAIL: z.email("must be an email address").optional(),
  ADMIN_PASSWORD: z.string().min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`).optional(),
  TRUST_PROXY: z
    .enum(["0", "1", "true", "false"])
    .default("0")
    .transform((v) => v === "1" || v === "true"),
  API_RATE_LIMIT: z.coerce.number().int().min(1).default(600),
  API_AUTH_FAILURE_LIMIT: z.coerce.number().int().min(1).default(60),
  KEY_CACHE_MAX_ENTRIES: z.coerce
    .number()
    .int()
    .min(1_000, "must be at least 1000")
    .max(10_000_000, "must be at most 10000000 (about 1 KB of memory each)")
    .default(250_000),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  sessionMaxAge: number;
  authSecret: string;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  trustProxy: boolean;
  apiRateLimit: number;
  /** Failed API authentications allowed per client IP per minute. */
  apiAuthFailureLimit: number;
  /** Verified keys each instance keeps in memory (lib/keys/cache.ts). */
  keyCacheMaxEntries: number;
};

export class ConfigError extends Error {}

/** Read once per process (tests start over with resetProcessState("config")). */
export function getConfig(): Config {
  return processState("config", () => loadConfig(process.env));
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== "")),
  );
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  if ((e.ADMIN_EMAIL === undefined) !== (e.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError("Invalid configuration:\n  ADMIN_EMAIL and ADMIN_PASSWORD must be set together.");
  }
  const dataDir = path.resolve(e.LATCHKEY_DATA_DIR);
  if (e.AUTH_SECRET && e.AUTH_SECRET_FILE) {
    throw new ConfigError("Invalid configuration:\n  set AUTH_SECRET or AUTH_SECRET_FILE, not both.");
  }
  let authSecret = e.AUTH_SECRET ?? (e.AUTH_SECRET_FILE ? readSecretFile(path.resolve(e.AUTH_SECRET_FILE), e.DATABASE_URL ? undefined : dataDir) : undefined);
  if (!authSecret) {
    if (e.DATABASE_URL) {
      throw new ConfigError(
        "Invalid configuration:\n  AUTH_SECRET is required when DATABASE_URL is set. Every instance must sign " +
          "sessions and encrypt API-account keys with the same secret, so it cannot be generated per machine. " +
          "Create one with `openssl rand -base64 32` and give the same value to every instance " +
          "(in AUTH_SECRET, or in a file named by AUTH_SECRET_FILE).",
      );
    }
    authSecret = readOrCreateSecret(dataDir);
  }
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir,
    sessionMaxAge: e.SESSION_MAX_AGE,
    authSecret,
    adminEmail: e.ADMIN_EMAIL?.toLowerCase(),
    adminPassword: e.ADMIN_PASSWORD,
    trustProxy: e.TRUST_PROXY,
    apiRateLimit: e.API_RATE_LIMIT,
    apiAuthFailureLimit: e.API_AUTH_FAILURE_LIMIT,
    keyCacheMaxEntries: e.KEY_CACHE_MAX_ENTRIES,
  };
}

/**
 * AUTH_SECRET_FILE: the secret in a file only its owner may read (a mounted
 * secret, a file in /etc). Outside the data directory, or a copy of the data
 * directory would carry the key to the API-account keys it encrypts.
 */
function readSecretFile(file: string, dataDir: string | undefined): string {
  if (dataDir && (file + path.sep).startsWith(dataDir + path.sep)) {
    throw new ConfigError(
      `Invalid configuration:\n  AUTH_SECRET_FILE (${file}) is inside LATCHKEY_DATA_DIR (${dataDir}): ` +
        "whoever copies the data directory would get the secret that encrypts its API-account keys. Keep it elsewhere.",
    );
  }
  let mode: number;
  let secret: string;
  try {
    mode = statSync(file).mode & 0o777;
    secret = readFileSync(file, "utf8").trim();
  } catch (error) {
    throw new ConfigError(`Invalid configuration:\n  AUTH_SECRET_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? error}).`);
  }
  if (mode & 0o077) {
    throw new ConfigError(
      `Invalid configuration:\n  AUTH_SECRET_FILE: ${file} has mode ${octal(mode)}, so other accounts on this machine can read or change ` +
        `the secret. Allow only its owner: chmod 600 ${file}`,
    );
  }
  if (secret.length < 32) throw new ConfigError(`Invalid configuration:\n  AUTH_SECRET_FILE: the secret in ${file} ${SECRET_RULE}.`);
  return secret;
}

const octal = (mode: number) => mode.toString(8).padStart(4, "0");

/**
 * The PGlite data directory (its files hold password hashes, and maybe the
 * generated secret): made 0700 when missing; an existing one that group or
 * others may enter stops the server. Called by whatever touches it first.
 */
export function ensurePrivateDataDir(dataDir: string): void {
  if (!existsSync(dataDir)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    chmodSync(dataDir, 0o700); // mkdir's mode passes through the umask, which may be stricter but not looser
    return;
  }
  const mode = statSync(dataDir).mode & 0o777;
  if (mode & 0o077) {
    throw new ConfigError(
      `The data directory ${dataDir} has mode ${octal(mode)}: other accounts on this machine can read its files ` +
        `(password hashes, keys' hashes, the write-ahead log) or change them. Allow only its owner: chmod 700 ${dataDir}`,
    );
  }
}

/** On the embedded default without AUTH_SECRET(_FILE) the secret is made once and kept beside the data (README: the threat). */
function readOrCreateSecret(dataDir: string): string {
  ensurePrivateDataDir(dataDir);
  const file = path.join(dataDir, "auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
  return secret;
}
