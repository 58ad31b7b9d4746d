import { randomInt } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { hashPassword } from '../../platform/auth.js';

/**
 * Initial passwords: read off a printed 账号单 and typed once, often on a phone, by someone else. So no
 * characters that look alike in print (0/O/o/Q, 1/l/I/i, 2/Z/z, 5/S, 6/G/b, 8/B, 9/g/q) and no letters
 * whose capital differs from the small one only in size (C/c, K/k, P/p, S/s, U/u, V/v, W/w, X/x). Three of
 * the four character classes (upper, lower, digit), as the password rules require; 10 characters from
 * the 38 left ≈ 52 bits, far beyond guessing through a rate-limited login before it is changed.
 */
export const INITIAL_PASSWORD_LENGTH = 10;
const UPPER = 'ADEFHJLMNRTY';
const LOWER = 'abcdefhjkmnprstuvwxy';
const DIGITS = '234789';
const ALL = UPPER + LOWER + DIGITS;
export const INITIAL_PASSWORD_ALPHABET = ALL;

export function generateInitialPassword(): string {
  for (;;) {
    let p = '';
    for (let i = 0; i < INITIAL_PASSWORD_LENGTH; i++) p += ALL[randomInt(ALL.length)];
    // Uniform over the alphabet, then keep only passwords with every class (rejection keeps it uniform).
    if (/[A-Z]/.test(p) && /[a-z]/.test(p) && /[0-9]/.test(p)) return p;
  }
}

/**
 * argon2id hashes of many passwords, `concurrency` at a time on the libuv thread pool (@node-rs/argon2
 * hashes off the event loop). The pool has 4 threads by default; leaving at least one free keeps logins
 * and file reads moving while a school's accounts are issued.
 */
export const HASH_CONCURRENCY = Math.max(1, Math.min(availableParallelism(), 3));

export async function hashAll(passwords: string[], concurrency = HASH_CONCURRENCY): Promise<string[]> {
  const out = new Array<string>(passwords.length);
  let next = 0;
  const worker = async () => {
    while (next < passwords.length) {
      const i = next++;
      out[i] = await hashPassword(passwords[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, passwords.length) }, worker));
  return out;
}
