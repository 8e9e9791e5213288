import { createHmac } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { containsNhsNumber } from "~/lib/nhs-number";
import { caseRef } from "~/schemas/case";
import {
  PSEUDONYM_PATTERN,
  loadPseudonymKey,
  normaliseIdentifier,
  normalisePseudonym,
  pseudonymise,
} from "~/utils/pseudonymise.server";

const key = Buffer.from("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "hex");
const otherKey = Buffer.alloc(32, 7);

describe("pseudonymise", () => {
  it("matches an independent calculation (HMAC-SHA-256, first 80 bits: 75 as Crockford base32, 5 mod 10 as a digit)", () => {
    // Worked out separately with Python's hmac module.
    expect(pseudonymise(key, "9434765919")).toBe("P-VNE6-0BQB-67B0-RZ03");
    expect(pseudonymise(key, "LAC-2025-014")).toBe("P-VJ5C-1RBM-BYWR-1D95");
    const mac = createHmac("sha256", key).update("9434765919").digest();
    expect(mac.subarray(0, 2).toString("hex")).toBe("dd5c"); // 11011 10101 011100… → V (27), N (21), …
  });

  it("gives the same pseudonym for the same identifier and key", () => {
    expect(pseudonymise(key, "LAC-2025-014")).toBe(pseudonymise(Buffer.from(key), "LAC-2025-014"));
  });

  it("gives a different pseudonym with a different key", () => {
    expect(pseudonymise(otherKey, "9434765919")).not.toBe(pseudonymise(key, "9434765919"));
  });

  it("gives different pseudonyms for different identifiers", () => {
    const seen = new Set(Array.from({ length: 5000 }, (_, i) => pseudonymise(key, `LOCAL-${i}`)));
    expect(seen.size).toBe(5000);
  });

  it("normalises spacing and case before hashing", () => {
    const p = pseudonymise(key, "9434765919");
    expect(pseudonymise(key, "943 476 5919")).toBe(p);
    expect(pseudonymise(key, "  943 476 5919\t")).toBe(p);
    expect(pseudonymise(key, "943-476-5919")).toBe(p); // a valid NHS number written with hyphens
    expect(pseudonymise(key, "lac-2025-014")).toBe(pseudonymise(key, "LAC-2025-014"));
    expect(pseudonymise(key, "LAC 2025 014")).toBe(pseudonymise(key, "LAC2025014"));
    // Hyphens in a local identifier are part of it.
    expect(pseudonymise(key, "LAC-2025-014")).not.toBe(pseudonymise(key, "LAC2025014"));
    expect(normaliseIdentifier(" 943 476 5919 ")).toBe("9434765919");
    expect(normaliseIdentifier("123-456-7890")).toBe("123-456-7890"); // not a valid NHS number
  });

  it("never contains the identifier", () => {
    const identifiers = ["9434765919", "9990000018", "9990000026", "LAC-2025-014", "RX1-000123", "12345"];
    for (const id of identifiers) {
      const p = pseudonymise(key, id);
      expect(p).not.toContain(id);
      expect(p.replace(/-/g, "")).not.toContain(id.replace(/-/g, ""));
    }
  });

  it("always has the documented shape, always contains a number, and never looks like an NHS number, so it is a valid case reference", () => {
    for (let i = 0; i < 20_000; i++) {
      const p = pseudonymise(key, `ID${i}`);
      expect(p).toMatch(PSEUDONYM_PATTERN);
      expect(containsNhsNumber(p)).toBe(false);
      if (i < 2000) expect(caseRef.safeParse(p)).toEqual({ success: true, data: p });
    }
  });

  it("refuses a short key and a blank identifier", () => {
    expect(() => pseudonymise(Buffer.alloc(31), "9434765919")).toThrow(/at least 32 bytes/);
    expect(() => pseudonymise(key, "   ")).toThrow(/blank/);
  });
});

describe("normalisePseudonym", () => {
  it("reads a pseudonym typed loosely, Crockford style", () => {
    expect(normalisePseudonym("p-vne6-0bqb-67b0-rz03")).toBe("P-VNE6-0BQB-67B0-RZ03");
    expect(normalisePseudonym("P VNE6 OBQB 67BO RZO3")).toBe("P-VNE6-0BQB-67B0-RZ03");
    expect(normalisePseudonym("PVNE60BQB67B0RZ03")).toBe("P-VNE6-0BQB-67B0-RZ03");
  });

  it("returns null for anything else", () => {
    expect(normalisePseudonym("LAC-2025-014")).toBeNull();
    expect(normalisePseudonym("P-VNE6-0BQB-67B0-RZ0")).toBeNull();
    expect(normalisePseudonym("P-VNE6-0BQB-67B0-RZ0X")).toBeNull(); // last character must be a digit
    expect(normalisePseudonym("P-VNE6-0BQB-67B0-RZ0U3")).toBeNull();
  });
});

describe("loadPseudonymKey", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "pseudonym-key-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("uses PSEUDONYM_KEY in base64 or hex, and does not touch the key file", () => {
    const keyFile = join(dir, "never.key");
    expect(loadPseudonymKey({ env: { PSEUDONYM_KEY: key.toString("base64") }, keyFile })).toEqual(key);
    expect(loadPseudonymKey({ env: { PSEUDONYM_KEY: key.toString("hex") }, keyFile })).toEqual(key);
    expect(loadPseudonymKey({ env: { PSEUDONYM_KEY: ` ${key.toString("base64url")}\n` }, keyFile })).toEqual(key);
    expect(() => statSync(keyFile)).toThrow();
  });

  it("refuses a PSEUDONYM_KEY shorter than 32 bytes, or not base64 or hex, with a clear message", () => {
    expect(() => loadPseudonymKey({ env: { PSEUDONYM_KEY: Buffer.alloc(31).toString("base64") }, keyFile: join(dir, "k") })).toThrow(
      "The pseudonym key in PSEUDONYM_KEY is 31 bytes long but must be at least 32 bytes. Make a new one with: openssl rand -base64 32",
    );
    expect(() => loadPseudonymKey({ env: { PSEUDONYM_KEY: "secret" }, keyFile: join(dir, "k") })).toThrow(/at least 32 bytes/);
    expect(() => loadPseudonymKey({ env: { PSEUDONYM_KEY: "not a key!" }, keyFile: join(dir, "k") })).toThrow(/base64 or hex/);
  });

  it("creates a missing key file (and its folders) with 32 random bytes in base64, mode 0600, and reuses it", () => {
    const keyFile = join(dir, "nested", "data", "pseudonym.key");
    const created = loadPseudonymKey({ env: {}, keyFile });
    expect(created).toHaveLength(32);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, "utf8")).toBe(`${created.toString("base64")}\n`);
    expect(loadPseudonymKey({ env: {}, keyFile })).toEqual(created);
    const second = loadPseudonymKey({ env: {}, keyFile: join(dir, "other.key") });
    expect(second).not.toEqual(created);
  });

  it("reads the key file named by PSEUDONYM_KEY_FILE", () => {
    const keyFile = join(dir, "from-env.key");
    writeFileSync(keyFile, key.toString("hex"));
    expect(loadPseudonymKey({ env: { PSEUDONYM_KEY_FILE: keyFile } })).toEqual(key);
    expect(loadPseudonymKey({ env: { PSEUDONYM_KEY: "", PSEUDONYM_KEY_FILE: keyFile } })).toEqual(key);
  });

  it("refuses a key file holding a short key", () => {
    const keyFile = join(dir, "short.key");
    writeFileSync(keyFile, Buffer.alloc(16).toString("base64"));
    expect(() => loadPseudonymKey({ env: {}, keyFile })).toThrow(`The pseudonym key in ${keyFile} is 16 bytes long but must be at least 32 bytes`);
  });
});
