import { describe, expect, it } from 'vitest';
import { verify } from '@node-rs/argon2';
import { newPasswordProblem } from '../auth/password-rules.js';
import { generateInitialPassword, hashAll, INITIAL_PASSWORD_ALPHABET, INITIAL_PASSWORD_LENGTH } from './initial-password.js';

describe('generateInitialPassword', () => {
  const sample = Array.from({ length: 2000 }, generateInitialPassword);

  it('is 10 characters with upper-case, lower-case and digits, so the password rules accept it', () => {
    expect(INITIAL_PASSWORD_LENGTH).toBeGreaterThanOrEqual(10);
    for (const p of sample) {
      expect(p).toHaveLength(INITIAL_PASSWORD_LENGTH);
      expect(p).toMatch(/[A-Z]/);
      expect(p).toMatch(/[a-z]/);
      expect(p).toMatch(/[0-9]/);
      expect(newPasswordProblem(p, { username: 't1' })).toBeNull();
    }
  });

  it('never uses characters that look alike on a printed slip', () => {
    // Of each look-alike group one member may stay (2 without Z/z, 8 without B, 9 without g/q, b without 6).
    for (const c of '0Oo1lIiZz5S6GBgqQCKPUVWX') expect(INITIAL_PASSWORD_ALPHABET).not.toContain(c);
    for (const p of sample) for (const c of p) expect(INITIAL_PASSWORD_ALPHABET).toContain(c);
  });

  it('does not repeat (2,000 draws, all different) and uses the whole alphabet', () => {
    expect(new Set(sample).size).toBe(sample.length);
    const used = new Set(sample.join(''));
    expect(used.size).toBe(INITIAL_PASSWORD_ALPHABET.length);
  });
});

describe('hashAll', () => {
  it('hashes every password, in order, with argon2id, several at a time', async () => {
    const pw = ['Aa2bcdefgh', 'Bb3cdefghj', 'Cc4defghjk', 'Dd7efghjkm', 'Ee8fghjkmn'];
    const hashes = await hashAll(pw, 3);
    expect(hashes).toHaveLength(pw.length);
    for (let i = 0; i < pw.length; i++) {
      expect(hashes[i]).toMatch(/^\$argon2id\$/);
      expect(await verify(hashes[i], pw[i])).toBe(true);
      expect(await verify(hashes[i], pw[(i + 1) % pw.length])).toBe(false);
    }
    expect(await hashAll([])).toEqual([]);
  });
});
