import "server-only";
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { getConfig } from "@/lib/config";

/**
 * API-account keys are kept encrypted so that an admin can "Show API Key":
 * AES-256-GCM under a key derived (HKDF-SHA256) from AUTH_SECRET. Stored as
 * `v1.<iv>.<tag>.<ciphertext>` in base64url; the key id is bound as AAD so a
 * ciphertext cannot be moved to another row.
 */
function boxKey(): Buffer {
  return Buffer.from(hkdfSync("sha256", getConfig().authSecret, "latchkey", "api-account-key-encryption", 32));
}

export function seal(plaintext: string, keyId: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", boxKey(), iv);
  cipher.setAAD(Buffer.from(keyId));
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(".");
}

export function open(sealed: string, keyId: string): string {
  const [version, iv, tag, data] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || !data) throw new Error("Unrecognised encrypted key format.");
  const decipher = createDecipheriv("aes-256-gcm", boxKey(), Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(keyId));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
}
