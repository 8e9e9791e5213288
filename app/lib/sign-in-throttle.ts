/**
 * Slowing down password guessing without letting anyone lock anyone else out (issue #11).
 *
 * Failed sign-ins are counted per email address *and* client address together: after
 * `SIGN_IN_FREE_FAILURES` of them, each further attempt from that address for that email must
 * wait, longer each time (30 seconds, then 1, 2, 4, 8 and at most 15 minutes after the latest
 * failure). A successful sign-in from that address for that email starts the count again. A
 * separate cap per client address, across every email address, stops one address trying many
 * accounts. Nothing here ever refuses an attempt from another address: a stranger cannot stop
 * the real user signing in.
 *
 * Pure: the model reads the attempts from the database and asks these functions what to do.
 */

/** Failures allowed for one email address from one client address before attempts must wait. */
export const SIGN_IN_FREE_FAILURES = 5;
/** How far back failures for one email and address are counted (and since its last success). */
export const SIGN_IN_WINDOW_HOURS = 24;
/** Failures allowed from one client address, for any email addresses, within the address window. */
export const SIGN_IN_ADDRESS_FREE_FAILURES = 30;
export const SIGN_IN_ADDRESS_WINDOW_MINUTES = 60;
/** The first wait, doubled for each further failure, up to the longest. */
export const SIGN_IN_FIRST_DELAY_SECONDS = 30;
export const SIGN_IN_MAX_DELAY_MINUTES = 15;

/** An attempt as stored: when, and whether it failed (a pending attempt counts as failed). */
export type Attempt = { at: string; outcome: "pending" | "failed" | "succeeded" };

/** How long after the latest failure the next attempt must wait, given the failures counted. */
export function delaySeconds(failures: number, free: number): number {
  if (failures < free) return 0;
  const doublings = Math.min(failures - free, 30);
  return Math.min(SIGN_IN_FIRST_DELAY_SECONDS * 2 ** doublings, SIGN_IN_MAX_DELAY_MINUTES * 60);
}

/** Seconds still to wait (0: go ahead) for `failures` failures, the latest at `latest`. */
export function secondsToWait(failures: number, latest: string | null, free: number, now: Date): number {
  const delay = delaySeconds(failures, free);
  if (delay === 0 || !latest) return 0;
  const until = Date.parse(latest) + delay * 1000;
  return Math.max(0, Math.ceil((until - now.getTime()) / 1000));
}

/**
 * The failures that count for one email and address: those in the window after the latest
 * success. `attempts` are that pair's attempts, newest first.
 */
export function pairFailures(attempts: Attempt[]): { failures: number; latest: string | null } {
  let failures = 0;
  let latest: string | null = null;
  for (const a of attempts) {
    if (a.outcome === "succeeded") break;
    failures += 1;
    latest ??= a.at;
  }
  return { failures, latest };
}

export type ThrottleDecision = { wait: 0 } | { wait: number; scope: "email" | "address" };

/** Whether an attempt may go ahead now, from the pair's and the address's failures. */
export function decide(
  pair: { failures: number; latest: string | null },
  address: { failures: number; latest: string | null },
  now: Date,
): ThrottleDecision {
  const pairWait = secondsToWait(pair.failures, pair.latest, SIGN_IN_FREE_FAILURES, now);
  const addressWait = secondsToWait(address.failures, address.latest, SIGN_IN_ADDRESS_FREE_FAILURES, now);
  if (pairWait === 0 && addressWait === 0) return { wait: 0 };
  return pairWait >= addressWait ? { wait: pairWait, scope: "email" } : { wait: addressWait, scope: "address" };
}

/** "30 seconds", "1 minute", "15 minutes": a wait in words, rounded up to whole minutes past a minute. */
export function describeWait(seconds: number): string {
  if (seconds <= 60) return seconds === 60 ? "1 minute" : `${Math.max(1, seconds)} ${seconds === 1 ? "second" : "seconds"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}
