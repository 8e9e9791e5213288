/**
 * What a new password may not be, beyond its length (issue #11; NCSC and NIST SP 800-63B: refuse
 * passwords that are common, simple patterns, or about the person):
 *
 * - one of the most common passwords (the ~49,000 of @zxcvbn-ts/language-common), also when
 *   numbers or symbols are added before or after it or letters are swapped for look-alikes
 *   (`password1234`, `P@ssw0rd!`);
 * - one character or a short group repeated (`aaaaaaaaaaaa`, `abcabcabcabc`), or a run along
 *   the alphabet, the digits or a keyboard row (`abcdefghijkl`, `123456789012`, `qwertyuiopas`);
 * - containing the person's name (any part of 4 letters or more) or their email address's name.
 *
 * Server-only: the list is half a megabyte, never sent to the browser.
 */
import { dictionary } from "@zxcvbn-ts/language-common";

const COMMON_PASSWORDS: ReadonlySet<string> = new Set(dictionary["passwords-common"]);

export const TOO_COMMON = "Password is too easy to guess: it is a common password or a simple pattern. Choose a different one, for example 3 or 4 random words";
export const personalMessage = (whose: "your" | "their") => `Password must not contain ${whose} name or email address`;

/** Shortest name or email part that a password may not contain (shorter ones, like "Li", are too common inside words). */
const MIN_PERSONAL_PART = 4;

const LOOK_ALIKES: Record<string, string> = { "@": "a", "4": "a", "8": "b", "3": "e", "1": "i", "!": "i", "0": "o", "$": "s", "5": "s", "7": "t", "+": "t" };
const KEYBOARD = ["qwertyuiopasdfghjklzxcvbnm", "qazwsxedcrfvtgbyhnujmikolp", "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p"];

const reverse = (s: string) => [...s].reverse().join("");
/** Without the numbers, symbols and spaces before and after: `password1234` → `password`. */
const core = (s: string) => s.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, "");
const unLeet = (s: string) => s.replace(/[@4831!0$57+]/g, (c) => LOOK_ALIKES[c]);
/** Letters and digits only, for finding a name in `Priya-2026` or `new.person`. */
const compact = (s: string) => s.replace(/[^\p{L}\p{N}]/gu, "");

function isCommon(candidate: string): boolean {
  return candidate.length > 0 && COMMON_PASSWORDS.has(candidate);
}

/** A run up or down the alphabet or the digits (digits go round: …8901…): `abcdef`, `987654`, `789012`. */
function isRun(candidate: string): boolean {
  const digits = /^\d+$/.test(candidate);
  if (!digits && !/^[a-z]+$/.test(candidate)) return false;
  const step = (i: number) => {
    const d = candidate.charCodeAt(i + 1) - candidate.charCodeAt(i);
    return digits ? (d + 10) % 10 : d;
  };
  const first = step(0);
  const up = 1;
  const down = digits ? 9 : -1;
  if (first !== up && first !== down) return false;
  for (let i = 1; i < candidate.length - 1; i++) if (step(i) !== first) return false;
  return true;
}

function isPattern(candidate: string): boolean {
  if (candidate.length < 4) return false;
  // One character or one short group, repeated; or hardly any different characters at all.
  if (/^(.+?)\1+$/su.test(candidate) || new Set(candidate).size < 4) return true;
  return isRun(candidate) || KEYBOARD.some((row) => row.includes(candidate) || reverse(row).includes(candidate));
}

/** Why a new password is refused, or null when it may be used. `person` is whose it will be. */
export function passwordProblem(password: string, person: { name?: string; email?: string }, whose: "your" | "their" = "their"): string | null {
  const lower = password.normalize("NFKC").toLowerCase();
  const candidates = new Set([lower, core(lower), unLeet(core(lower)), compact(lower)]);
  if ([...candidates].some((c) => isCommon(c) || isPattern(c))) return TOO_COMMON;

  const haystack = compact(lower);
  const local = (person.email ?? "").toLowerCase().split("@")[0] ?? "";
  const parts = [
    ...(person.name ?? "").toLowerCase().split(/[^\p{L}]+/u),
    ...local.split(/[^\p{L}\p{N}]+/u),
    compact(local),
  ].filter((p) => p.length >= MIN_PERSONAL_PART);
  if (parts.some((p) => haystack.includes(p))) return personalMessage(whose);
  return null;
}
