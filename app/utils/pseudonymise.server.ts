/**
 * Pseudonymous case references (domain rule 43): a keyed HMAC-SHA-256 of the NHS number or
 * local identifier, so audits never store the identifier itself. The key is held outside the
 * audit database (an environment variable or a key file), because anyone with the key and the
 * database could re-create the pseudonym of any NHS number. The pseudonyms are still personal
 * (special category) data: the organisation holding the key can link them back to a child.
 *
 * Keep the key file backed up separately from the database. Losing it means new imports give
 * new pseudonyms that no longer match earlier audits; changing it has the same effect.
 */
import { createHmac, randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { isValidNhsNumber } from "~/lib/nhs-number";

export const MIN_PSEUDONYM_KEY_BYTES = 32;
export const DEFAULT_PSEUDONYM_KEY_FILE = "data/pseudonym.key";

const HEX = /^(?:[0-9a-fA-F]{2})+$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$|^[A-Za-z0-9_-]+={0,2}$/;

/**
 * Decodes a key written as hex or base64 (standard or URL-safe), ignoring surrounding
 * whitespace. Text that is valid hex is read as hex. Throws when it is neither, or when it is
 * shorter than 32 bytes.
 */
export function decodePseudonymKey(text: string, source: string): Buffer {
  const s = text.trim();
  let key: Buffer;
  if (HEX.test(s)) key = Buffer.from(s, "hex");
  else if (BASE64.test(s) && s.replace(/=+$/, "").length % 4 !== 1) key = Buffer.from(s.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  else throw new Error(`The pseudonym key in ${source} must be written in base64 or hex. Make a new one with: openssl rand -base64 32`);
  if (key.length < MIN_PSEUDONYM_KEY_BYTES) {
    throw new Error(
      `The pseudonym key in ${source} is ${key.length} bytes long but must be at least ${MIN_PSEUDONYM_KEY_BYTES} bytes. ` +
        "Make a new one with: openssl rand -base64 32",
    );
  }
  return key;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === "ENOENT";
}

/**
 * The key for `pseudonymise`:
 * 1. `env.PSEUDONYM_KEY` (base64 or hex, at least 32 bytes) when set;
 * 2. otherwise the key file (`keyFile`, default `env.PSEUDONYM_KEY_FILE` or
 *    "data/pseudonym.key", relative to the working folder);
 * 3. when the file does not exist, a new one: 32 random bytes in base64, written with mode
 *    0600 (owner read/write only), creating its folder (mode 0700) if needed. The write is
 *    exclusive, so two processes starting at once both end up with the same key.
 * Throws a clear Error for a key that is too short or not base64/hex.
 */
export function loadPseudonymKey({ env = process.env, keyFile }: { env?: Record<string, string | undefined>; keyFile?: string } = {}): Buffer {
  if (env.PSEUDONYM_KEY !== undefined && env.PSEUDONYM_KEY !== "") return decodePseudonymKey(env.PSEUDONYM_KEY, "PSEUDONYM_KEY");
  const file = keyFile ?? (env.PSEUDONYM_KEY_FILE || DEFAULT_PSEUDONYM_KEY_FILE);
  try {
    return decodePseudonymKey(readFileSync(file, "utf8"), file);
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, `${randomBytes(MIN_PSEUDONYM_KEY_BYTES).toString("base64")}\n`, { flag: "wx", mode: 0o600 });
    chmodSync(file, 0o600); // in case a umask took bits away from the owner
  } catch (error) {
    if ((error as NodeJS.ErrnoException)?.code !== "EEXIST") throw error;
  }
  return decodePseudonymKey(readFileSync(file, "utf8"), file);
}

/**
 * The identifier as it is hashed: surrounding and inner whitespace removed and upper-cased,
 * so "943 476 5919" and "9434765919", or "lac 2025 14" and "LAC202514", give the same pseudonym.
 * A valid NHS number written with hyphens ("943-476-5919") is also reduced to its 10 digits.
 */
export function normaliseIdentifier(identifier: string): string {
  const compact = String(identifier).replace(/\s+/g, "").toUpperCase();
  const digits = compact.replace(/-/g, "");
  return /^\d{3}-?\d{3}-?\d{4}$/.test(compact) && isValidNhsNumber(digits) ? digits : compact;
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** Matches a pseudonym made by `pseudonymise`. */
export const PSEUDONYM_PATTERN = /^P-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{3}[0-9]$/;

/**
 * The pseudonym of an identifier: "P-" and 16 characters in four groups of four, for example
 * "P-7K3Q-9M2X-AB4D-6F83".
 *
 * HMAC-SHA-256(key, UTF-8 of the normalised identifier); the first 10 bytes (80 bits) of the
 * MAC are used: the top 75 bits as 15 Crockford base32 characters (digits and capitals without
 * I, L, O or U, so nothing is misread), and the last 5 bits, modulo 10, as a final digit.
 * The same identifier and key always give the same pseudonym; another key gives another.
 *
 * Why this shape:
 * - The final digit means every pseudonym contains a number and the groups of four mean it
 *   can never contain 10 digits in a row, so a pseudonym always passes the case reference
 *   rules in app/schemas/case.ts (which refuse references with no number, since they may be a
 *   name, and references containing something that looks like an NHS number).
 * - Truncation is safe here: pseudonyms only need to tell the children in one organisation's
 *   audits apart, not to resist forgery. Two identifiers share a pseudonym with probability
 *   about 2^-75 × 0.102 ≈ 2.7 × 10^-24 (the 0.102 because 5 bits modulo 10 make digits 0 and 1
 *   a little likelier), so among n identifiers the chance of any clash is about
 *   n²/2 × 2.7 × 10^-24: about 1.3 × 10^-12 (1 in 700 billion) for a million children.
 *   Truncating does not make the MAC reversible: without the key nothing can be learned from a
 *   pseudonym, and with it only by trying every possible identifier, which is why the key is
 *   kept secret and away from the database.
 *
 * Throws for a key shorter than 32 bytes or an identifier that is blank after normalising
 * (otherwise every blank would share one pseudonym).
 */
export function pseudonymise(key: Buffer, identifier: string): string {
  if (!Buffer.isBuffer(key) || key.length < MIN_PSEUDONYM_KEY_BYTES) {
    throw new Error(`The pseudonym key must be at least ${MIN_PSEUDONYM_KEY_BYTES} bytes`);
  }
  const normalised = normaliseIdentifier(identifier);
  if (normalised === "") throw new Error("Cannot make a pseudonym for a blank identifier");
  const mac = createHmac("sha256", key).update(normalised, "utf8").digest();
  let value = 0n;
  for (let i = 0; i < 10; i++) value = (value << 8n) | BigInt(mac[i]);
  const digit = Number(value & 31n) % 10;
  let rest = value >> 5n;
  const chars: string[] = [];
  for (let i = 0; i < 15; i++) {
    chars.unshift(CROCKFORD[Number(rest & 31n)]);
    rest >>= 5n;
  }
  const body = chars.join("") + String(digit);
  return `P-${body.slice(0, 4)}-${body.slice(4, 8)}-${body.slice(8, 12)}-${body.slice(12, 16)}`;
}

/**
 * A pseudonym as someone might type it ("p-7k3q 9m2x ab4d 6f83", "P7K3Q9M2XAB4D6F83") in its
 * canonical form, or null when it cannot be one. Follows Crockford's decoding: case is
 * ignored, O is read as 0 and I or L as 1; spaces and hyphens are ignored.
 */
export function normalisePseudonym(text: string): string | null {
  const compact = String(text).toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
  if (!compact.startsWith("P")) return null;
  const body = compact.slice(1);
  const candidate = `P-${body.slice(0, 4)}-${body.slice(4, 8)}-${body.slice(8, 12)}-${body.slice(12)}`;
  return body.length === 16 && PSEUDONYM_PATTERN.test(candidate) ? candidate : null;
}
