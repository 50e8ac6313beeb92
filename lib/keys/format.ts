import { hash, randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";
import type { KeyKind } from "@/lib/db/schema";

/**
 * `lk_<kind>_<32 base62 random><6 base62 CRC32 of the random part>`.
 * ~190 bits of randomness; the checksum turns away typos and fakes before
 * any database work, and the prefix lets secret scanners find leaked keys.
 * Pure functions: the CLI and the tests use them too.
 */
export const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const BODY_LENGTH = 32;
export const CHECKSUM_LENGTH = 6;
export const KEY_PATTERN = /^lk_(pat|sa)_([0-9A-Za-z]{32})([0-9A-Za-z]{6})$/;

export type ParsedKey = { kind: KeyKind; body: string; checksum: string };

function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 4 * 62: bytes at or above it are dropped so that every character is equally likely.
      if (byte < 248) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

export function checksumOf(body: string): string {
  let n = crc32(body);
  let out = "";
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

export function generateKey(kind: KeyKind): string {
  const body = randomBase62(BODY_LENGTH);
  return `lk_${kind}_${body}${checksumOf(body)}`;
}

/** Null for anything that is not a well-formed key with a correct checksum. */
export function parseKey(candidate: string): ParsedKey | null {
  if (candidate.length > 64) return null;
  const match = KEY_PATTERN.exec(candidate);
  if (!match) return null;
  const [, kind, body, checksum] = match as unknown as [string, KeyKind, string, string];
  return checksumOf(body) === checksum ? { kind, body, checksum } : null;
}

/** The only form in which a key is stored or looked up. */
export function hashKey(key: string): string {
  return hash("sha256", key, "hex");
}

/** What may be shown of a key after its one-time reveal: `lk_pat_AbCd` and the last four. */
export function displayParts(key: string): { start: string; lastFour: string } {
  const prefixEnd = key.indexOf("_", 3) + 1;
  return { start: key.slice(0, prefixEnd + 4), lastFour: key.slice(-4) };
}

export function maskKey(start: string, lastFour: string): string {
  return `${start}…${lastFour}`;
}
