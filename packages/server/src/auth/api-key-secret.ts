import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** Every key starts with this, so leaked keys are easy to recognise (and to scan for). */
const KEY_PREFIX = "sluice_";
/** Characters of the key shown in listings: the marker and 8 random characters (48 of 256 bits). */
const SHOWN_CHARS = KEY_PREFIX.length + 8;

/** A new API key: 32 random bytes (256 bits) in base64url after the "sluice_" marker. */
export function generateApiKey(): { key: string; hash: string; prefix: string } {
  const key = KEY_PREFIX + randomBytes(32).toString("base64url");
  return { key, hash: hashApiKey(key), prefix: key.slice(0, SHOWN_CHARS) };
}

/**
 * The SHA-256 of a key, in hex: what the database keeps and looks keys up by. A fast hash is
 * enough because keys are 256 random bits; there is no dictionary to try (docs/decisions/0007).
 */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** Compares a presented key with the server's SLUICE_API_KEY in time independent of where they differ. */
export function matchesServerKey(presented: string, serverKey: string): boolean {
  // Hashing first gives equal lengths, which timingSafeEqual needs, and hides the server key's length.
  const a = createHash("sha256").update(presented, "utf8").digest();
  const b = createHash("sha256").update(serverKey, "utf8").digest();
  return timingSafeEqual(a, b);
}
