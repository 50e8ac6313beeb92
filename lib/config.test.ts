import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config";

const base = { NODE_ENV: "test", LATCHKEY_DATA_DIR: "/tmp/latchkey-config-test", AUTH_SECRET: "a".repeat(32) } as const;

describe("KEY_CACHE_MAX_ENTRIES", () => {
  it("defaults to room for 250,000 keys and takes a number", () => {
    expect(loadConfig(base).keyCacheMaxEntries).toBe(250_000);
    expect(loadConfig({ ...base, KEY_CACHE_MAX_ENTRIES: "1000000" }).keyCacheMaxEntries).toBe(1_000_000);
  });

  it("refuses what is not a sensible entry count, naming the variable", () => {
    for (const bad of ["0", "999", "-5", "lots", "1.5", "20000000"]) {
      expect(() => loadConfig({ ...base, KEY_CACHE_MAX_ENTRIES: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ ...base, KEY_CACHE_MAX_ENTRIES: bad })).toThrow(/KEY_CACHE_MAX_ENTRIES/);
    }
  });
});
