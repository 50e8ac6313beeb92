import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, ensurePrivateDataDir, loadConfig } from "./config";

const SECRET = "file-secret-file-secret-file-secret-0123";
let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), "latchkey-config-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const mode = (p: string) => statSync(p).mode & 0o777;

function secretFile(name: string, fileMode: number, content = SECRET): string {
  const file = path.join(root, name);
  writeFileSync(file, content + "\n", { mode: fileMode });
  chmodSync(file, fileMode);
  return file;
}

describe("the data directory", () => {
  it("is created 0700, parents included, with the generated secret 0600", () => {
    const dataDir = path.join(root, "a", "data");
    const config = loadConfig({ LATCHKEY_DATA_DIR: dataDir });
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(path.join(dataDir, "auth-secret"))).toBe(0o600);
    expect(config.authSecret).toHaveLength(43);
  });

  it("refuses an existing directory that group or others may use, naming it, its mode and the fix", () => {
    const dataDir = path.join(root, "open");
    mkdirSync(dataDir);
    for (const open of [0o755, 0o750, 0o701, 0o770, 0o707]) {
      chmodSync(dataDir, open);
      const attempt = () => ensurePrivateDataDir(dataDir);
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(`The data directory ${dataDir} has mode 0${open.toString(8)}`);
      expect(attempt).toThrow(`chmod 700 ${dataDir}`);
    }
    chmodSync(dataDir, 0o700);
    expect(() => loadConfig({ LATCHKEY_DATA_DIR: dataDir })).not.toThrow();
  });
});

describe("AUTH_SECRET_FILE", () => {
  it("is read, trimmed, on PGlite (nothing written beside the data) and on Postgres", () => {
    const dataDir = path.join(root, "data");
    const file = secretFile("secret", 0o600);
    expect(loadConfig({ LATCHKEY_DATA_DIR: dataDir, AUTH_SECRET_FILE: file }).authSecret).toBe(SECRET);
    expect(() => statSync(path.join(dataDir, "auth-secret"))).toThrow();
    expect(loadConfig({ DATABASE_URL: "postgres://x@127.0.0.1/db", AUTH_SECRET_FILE: file }).authSecret).toBe(SECRET);
    expect(loadConfig({ DATABASE_URL: "postgres://x@127.0.0.1/db", AUTH_SECRET_FILE: secretFile("ro", 0o400) }).authSecret).toBe(SECRET);
  });

  it("refuses a file that group or others may read or write", () => {
    for (const open of [0o644, 0o640, 0o604, 0o620, 0o602]) {
      const file = secretFile(`s${open.toString(8)}`, open);
      expect(() => loadConfig({ DATABASE_URL: "postgres://x@127.0.0.1/db", AUTH_SECRET_FILE: file })).toThrow(`chmod 600 ${file}`);
    }
  });

  it("refuses a file inside the data directory, a short secret, a missing file, and both variables at once", () => {
    const dataDir = path.join(root, "data");
    mkdirSync(dataDir, { mode: 0o700 });
    const inside = path.join(dataDir, "secret");
    writeFileSync(inside, SECRET, { mode: 0o600 });
    expect(() => loadConfig({ LATCHKEY_DATA_DIR: dataDir, AUTH_SECRET_FILE: inside })).toThrow("is inside LATCHKEY_DATA_DIR");
    expect(() => loadConfig({ DATABASE_URL: "postgres://x@h/db", AUTH_SECRET_FILE: secretFile("short", 0o600, "too-short") })).toThrow("at least 32 characters");
    expect(() => loadConfig({ DATABASE_URL: "postgres://x@h/db", AUTH_SECRET_FILE: path.join(root, "missing") })).toThrow("cannot read");
    expect(() => loadConfig({ DATABASE_URL: "postgres://x@h/db", AUTH_SECRET: SECRET, AUTH_SECRET_FILE: secretFile("s", 0o600) })).toThrow("not both");
  });
});

describe("KEY_CACHE_MAX_ENTRIES", () => {
  const base = () => ({ NODE_ENV: "test", LATCHKEY_DATA_DIR: path.join(root, "data"), AUTH_SECRET: "a".repeat(32) }) as const;

  it("defaults to room for 250,000 keys and takes a number", () => {
    expect(loadConfig(base()).keyCacheMaxEntries).toBe(250_000);
    expect(loadConfig({ ...base(), KEY_CACHE_MAX_ENTRIES: "1000000" }).keyCacheMaxEntries).toBe(1_000_000);
  });

  it("refuses what is not a sensible entry count, naming the variable", () => {
    for (const bad of ["0", "999", "-5", "lots", "1.5", "20000000"]) {
      expect(() => loadConfig({ ...base(), KEY_CACHE_MAX_ENTRIES: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ ...base(), KEY_CACHE_MAX_ENTRIES: bad })).toThrow(/KEY_CACHE_MAX_ENTRIES/);
    }
  });
});
