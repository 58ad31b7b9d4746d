import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from './policy.loader.js';
import { policyJsonSchema } from './policy.format.js';
import { POLICY_DIR } from './policies.service.js';

const files = readdirSync(POLICY_DIR).filter((f) => f.endsWith('.yaml'));
const text = (f: string) => readFileSync(join(POLICY_DIR, f), 'utf8');
const lineOf = (src: string, needle: string) => src.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('the shipped policies', () => {
  it('there are five and every one validates', () => {
    expect(files).toHaveLength(5);
    for (const f of files) {
      const r = loadPolicy(text(f));
      expect(r.errors, f).toEqual([]);
    }
  });

  it('every rule cites a section and the seed’s own words; open figures say so', () => {
    for (const f of files) {
      const r = loadPolicy(text(f));
      if (!r.ok) throw new Error(f);
      for (const rule of r.policy.rules) {
        expect(rule.cite.section.length, `${f} ${rule.id}`).toBeGreaterThan(0);
        if ('atLeast' in rule && rule.atLeast === null) expect(rule.openFigure, `${f} ${rule.id}`).toBeTruthy();
      }
    }
  });

  // The seeds live beside the repository (../shared/seeds); where they are present, every quotation must be found in them.
  const SEEDS = join(POLICY_DIR, '../../shared/seeds');
  // Traditional → simplified for the characters of the Beijing quotations (that seed is a traditional-script news copy).
  const T2S: Record<string, string> = Object.fromEntries(
    [...'備區員嚴國學將專崗師強應時書會業構機為級總義習職訓記設課論證資關隊須養開雙減'].map((c, i) => [
      c,
      '备区员严国学将专岗师强应时书会业构机为级总义习职训记设课论证资关队须养开双减'[i],
    ]),
  );
  it.runIf(existsSync(SEEDS))('quotations appear verbatim in the seed files (003 after removing pinyin and converting script)', () => {
    for (const f of files) {
      const r = loadPolicy(text(f));
      if (!r.ok) throw new Error(f);
      let seed = readFileSync(join(SEEDS, r.policy.source.file), 'utf8');
      if (f.startsWith('003')) seed = [...seed.replace(/\([a-z]+\)/g, '').replace(/,/g, '，')].map((c) => T2S[c] ?? c).join('');
      for (const rule of r.policy.rules) expect(seed.includes(rule.cite.text), `${f} ${rule.id}: ${rule.cite.text}`).toBe(true);
    }
  });
});

describe('JSON Schema', () => {
  it('policies/policy.schema.json is the one generated from the zod schemas (regenerate: npm run docs:policy-schema)', () => {
    expect(JSON.parse(readFileSync(join(POLICY_DIR, 'policy.schema.json'), 'utf8'))).toEqual(policyJsonSchema());
  });
});

describe('validation errors name the field and the line', () => {
  const src = text('000-bayannur-2023-2025.yaml');

  it('a wrong type', () => {
    const bad = src.replace('    atLeast: 8\n', '    atLeast: 八\n');
    const r = loadPolicy(bad);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ path: 'rules[1].atLeast', line: lineOf(bad, 'atLeast: 八') });
    expect(r.errors[0].message).toMatch(/^第 \d+ 行 rules\[1\]\.atLeast：应为数字/);
  });

  it('an unknown (misspelt) field points at the key itself', () => {
    const bad = src.replace('    categories: [homeroom]\n', '    categorys: [homeroom]\n');
    const r = loadPolicy(bad);
    const e = r.errors.find((x) => x.path === 'rules[0].categorys');
    expect(e?.line).toBe(lineOf(bad, 'categorys'));
    expect(e?.message).toContain('无法识别的字段 “categorys”');
  });

  it('an unknown kind, a bad category, a bad date', () => {
    const bad = src
      .replace('    kind: hours\n', '    kind: hourz\n')
      .replace('categories: [it]', 'categories: [itt]')
      .replace('deadline: 2025-12-31', 'deadline: 2025-13-01');
    const r = loadPolicy(bad);
    expect(r.errors.map((e) => e.path)).toEqual(['rules[0].kind', 'rules[1].categories', 'rules[7].deadline']);
    expect(r.errors[0].message).toContain('kind 应为以下之一');
    expect(r.errors[2].line).toBe(lineOf(bad, '2025-13-01'));
  });

  it('a null figure without openFigure, and duplicate rule ids', () => {
    const bad = src.replace('    atLeast: 8\n', '    atLeast: null\n').replace('  - id: it-annual', '  - id: homeroom-annual');
    const r = loadPolicy(bad);
    expect(r.errors.map((e) => e.path).sort()).toEqual(['rules[1].id', 'rules[1].openFigure']);
    expect(r.errors.find((e) => e.path === 'rules[1].id')?.message).toContain('与第 1 条规则重复');
  });

  it('YAML syntax errors give the line in Chinese', () => {
    const r = loadPolicy('policy: x\nrules:\n  - id: [a, b\n  kind: hours\n');
    expect(r.ok).toBe(false);
    expect(r.errors[0].message).toMatch(/^YAML 格式错误/);
    expect(r.errors[0].line).toBeGreaterThan(1);
    expect(loadPolicy('- just a list').errors[0].message).toContain('YAML 对象');
  });

  it('a window must be exactly one form', () => {
    const bad = src.replace(
      '    window: { every: year }\n    prorate: month\n    assumptions:\n      - 年中',
      '    window: { every: year, period: true }\n    prorate: month\n    assumptions:\n      - 年中',
    );
    const r = loadPolicy(bad);
    expect(r.errors[0]).toMatchObject({ path: 'rules[0].window' });
    expect(r.errors[0].message).toContain('窗口只能选一种写法');
  });
});
