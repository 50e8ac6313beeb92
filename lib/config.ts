import "server-only";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { processState } from "@/lib/process-state";
import { MIN_PASSWORD_LENGTH } from "@/lib/validation";

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
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters (try: openssl rand -base64 32)").optional(),
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

export function loadConfig(env: NodeJS.ProcessEnv): Config {
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
  let authSecret = e.AUTH_SECRET;
  if (!authSecret) {
    if (e.DATABASE_URL) {
      throw new ConfigError(
        "Invalid configuration:\n  AUTH_SECRET is required when DATABASE_URL is set. Every instance must sign " +
          "sessions and encrypt API-account keys with the same secret, so it cannot be generated per machine. " +
          "Create one with `openssl rand -base64 32` and give the same value to every instance.",
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

/** On the embedded default the secret is made once and kept beside the data it protects. */
function readOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, "auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
  return secret;
}
