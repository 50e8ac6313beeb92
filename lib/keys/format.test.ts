import { describe, expect, it } from "vitest";
import { BASE62, checksumOf, displayParts, generateKey, hashKey, maskKey, parseKey } from "./format";

describe("key format", () => {
  it("generates keys that parse, with the right prefix and length", () => {
    for (let i = 0; i < 5000; i++) {
      const kind = i % 2 ? "pat" : "sa";
      const key = generateKey(kind);
      expect(key).toMatch(new RegExp(`^lk_${kind}_[0-9A-Za-z]{38}$`));
      expect(parseKey(key)).toMatchObject({ kind });
    }
  });

  it("never repeats a key", () => {
    const keys = new Set(Array.from({ length: 5000 }, () => generateKey("pat")));
    expect(keys.size).toBe(5000);
  });

  it("uses the whole alphabet without bias towards the first characters", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i++) for (const c of generateKey("pat").slice(7, 39)) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(62);
    const expected = (2000 * 32) / 62;
    for (const n of counts.values()) expect(Math.abs(n - expected) / expected).toBeLessThan(0.2);
  });

  it("rejects every single-character change of a key", () => {
    const key = generateKey("pat");
    let rejected = 0;
    for (let i = 0; i < key.length; i++) {
      for (const c of BASE62 + "_-") {
        if (c === key[i]) continue;
        const changed = key.slice(0, i) + c + key.slice(i + 1);
        expect(parseKey(changed), `${changed} should be rejected`).toBeNull();
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(key.length * 60);
  });

  it("rejects malformed input before any lookup", () => {
    const key = generateKey("sa");
    for (const bad of ["", "lk_pat_", key.slice(0, -1), key + "x", key.replace("lk_sa_", "lk_xx_"), ` ${key}`, key.toUpperCase(), "x".repeat(10_000)]) {
      expect(parseKey(bad)).toBeNull();
    }
  });

  it("computes a six-character base62 CRC32 checksum", () => {
    expect(checksumOf("a".repeat(32))).toMatch(/^[0-9A-Za-z]{6}$/);
    expect(checksumOf("a".repeat(32))).not.toBe(checksumOf("a".repeat(31) + "b"));
  });

  it("hashes with SHA-256 and shows only the start and last four", () => {
    const key = generateKey("pat");
    expect(hashKey(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashKey(key)).not.toContain(key);
    const { start, lastFour } = displayParts(key);
    expect(start).toBe(key.slice(0, 11));
    expect(lastFour).toBe(key.slice(-4));
    expect(maskKey(start, lastFour)).toBe(`${key.slice(0, 11)}…${key.slice(-4)}`);
  });
});
