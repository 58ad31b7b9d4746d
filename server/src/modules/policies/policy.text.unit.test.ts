import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { POLICY_DIR } from './policies.service.js';
import { loadPolicy } from './policy.loader.js';

const seed = readFileSync(join(POLICY_DIR, readdirSync(POLICY_DIR).filter((f) => f.endsWith('.yaml'))[0]), 'utf8');

describe('policy documents: no bidi or zero-width characters in titles, names and notes (issue 9 item 17)', () => {
  it('refuses a title with a right-to-left override, a zero-width space or a BOM, naming where', () => {
    const rlo = seed.replace(/^title: (.*)$/m, 'title: $1\u202Egpj.exe');
    expect(rlo).not.toBe(seed);
    const r = loadPolicy(rlo);
    expect(r.ok).toBe(false);
    expect(r.errors).toContainEqual(expect.objectContaining({ path: 'title', message: expect.stringContaining('不可见或控制字符') }));
    const zw = seed.replace(/^title: (.*)$/m, 'title: 强\u200B师$1');
    expect(loadPolicy(zw).ok).toBe(false);
    expect(loadPolicy(seed.replace(/^title: (.*)$/m, 'title: \uFEFF$1')).ok).toBe(false);
  });

  it('the shipped seed itself is clean', () => {
    expect(loadPolicy(seed).errors).toEqual([]);
  });
});
