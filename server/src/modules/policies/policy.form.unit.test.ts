import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { citeLabel } from './policy.cite.js';
import { diffHunks, diffLines } from './policy.diff.js';
import { applyForm, changeSummary, changeText, fieldOfPath, formErrors, parseDays, readForm, titleFor, type PolicyForm } from './policy.form.js';
import { loadPolicy } from './policy.loader.js';
import { POLICY_DIR } from './policies.service.js';

const seed = (f: string) => readFileSync(join(POLICY_DIR, f), 'utf8');
const BAYANNUR = seed('000-bayannur-2023-2025.yaml');

function formOf(text: string): PolicyForm {
  const r = readForm(text);
  if (!r.ok) throw new Error(r.message);
  return r.form;
}
const ruleIndex = (form: PolicyForm, id: string) => form.meta.findIndex((m) => m.id === id);
/** The form's values with one rule's values changed. */
function withRule(form: PolicyForm, id: string, change: Record<string, unknown>) {
  const i = ruleIndex(form, id);
  return { ...form.values, rules: form.values.rules.map((r, k) => (k === i ? { ...r, ...change } : r)) };
}
const changed = (a: string, b: string) => diffLines(a, b).filter((d) => d.type !== 'same');

describe('the form editor writes the same document', () => {
  it('an untouched form gives back every seed byte for byte', () => {
    for (const f of readdirSync(POLICY_DIR).filter((x) => x.endsWith('.yaml'))) {
      const text = seed(f);
      const form = formOf(text);
      expect(applyForm(text, form, form.values), f).toBe(text);
    }
  });

  it('editing the 班主任 hours changes that one line; comments, quotes and every other line stay as written', () => {
    const form = formOf(BAYANNUR);
    const i = ruleIndex(form, 'homeroom-annual');
    expect(form.values.rules[i]).toMatchObject({ atLeast: 40, roles: ['homeroom'], window: { type: 'year' }, reminderDays: null });
    expect(form.meta[i]).toMatchObject({ unit: '学时', percent: false, reminded: true });
    const out = applyForm(BAYANNUR, form, withRule(form, 'homeroom-annual', { atLeast: 48 }));
    expect(changed(BAYANNUR, out)).toEqual([
      { type: 'del', text: '    atLeast: 40', oldLine: 30 },
      { type: 'add', text: '    atLeast: 48', newLine: 30 },
    ]);
    expect(out).toContain('# 原文：seeds/000_1a3ff7e1cbb247a8.txt。');
    expect(out).toContain("text: '市、旗县区和学校要分类分层分批组织中小学班主任");
    const r = loadPolicy(out);
    expect(r.errors).toEqual([]);
    expect(r.ok && r.policy.rules.find((x) => x.id === 'homeroom-annual')).toMatchObject({ atLeast: 48 });
  });

  it('roles, windows, deadlines and reminder days are written in the seeds’ own style and validate', () => {
    const form = formOf(BAYANNUR);
    let values = withRule(form, 'homeroom-annual', { roles: ['homeroom', 'psychFullTime'], reminderDays: [30, 7] });
    values = {
      ...values,
      rules: values.rules.map((r, k) => (k === ruleIndex(form, 'it-annual') ? { ...r, window: { type: 'fixed', from: '2025-01-01', to: '2025-12-31' } } : r)),
    };
    const mandarin = ruleIndex(form, 'mandarin-chinese-2a');
    expect(form.values.rules[mandarin].deadline).not.toBeUndefined();
    values = { ...values, rules: values.rules.map((r, k) => (k === mandarin ? { ...r, deadline: '2026-06-30' } : r)) };
    values = { ...values, reminderDays: [14], periodTo: '2026-12-31' };
    const out = applyForm(BAYANNUR, form, values);
    const adds = changed(BAYANNUR, out)
      .filter((d) => d.type === 'add')
      .map((d) => d.text);
    expect(adds).toContain('    who: { role: [homeroom, psychFullTime] }');
    expect(adds).toContain('    reminders: { daysBefore: [30, 7] }');
    expect(adds).toContain('    window: { from: 2025-01-01, to: 2025-12-31 }');
    expect(adds).toContain('    deadline: 2026-06-30');
    expect(adds).toContain('  to: 2026-12-31');
    expect(adds).toContain('reminders: { daysBefore: [14] }');
    // The new top-level setting sits before the rules, not after the last one.
    expect(out.indexOf('reminders: { daysBefore: [14] }')).toBeLessThan(out.indexOf('rules:'));
    const r = loadPolicy(out);
    expect(r.errors).toEqual([]);
    if (!r.ok) return;
    expect(r.policy.reminders?.daysBefore).toEqual([14]);
    const homeroom = r.policy.rules.find((x) => x.id === 'homeroom-annual');
    expect(homeroom).toMatchObject({ who: { role: ['homeroom', 'psychFullTime'] }, reminders: { daysBefore: [30, 7] } });
    // Reading the written text gives the form back.
    expect(formOf(out).values).toEqual(values);
  });

  it('clearing the roles of a role-only rule means every teacher; a percentage is a fraction in the document', () => {
    const alxa = seed('001-alxa-hitech-2025.yaml');
    const form = formOf(alxa);
    const rate = ruleIndex(form, 'centralised-session-rate');
    expect(form.meta[rate]).toMatchObject({ percent: true, unit: '%' });
    const before = form.values.rules[rate].atLeast;
    expect(before).toBe(95);
    const out = applyForm(alxa, form, withRule(form, 'centralised-session-rate', { atLeast: 90 }));
    const r = loadPolicy(out);
    expect(r.ok && r.policy.rules.find((x) => x.id === 'centralised-session-rate')).toMatchObject({ atLeast: 0.9 });

    const b = formOf(BAYANNUR);
    const out2 = applyForm(BAYANNUR, b, withRule(b, 'homeroom-annual', { roles: [] }));
    expect(changed(BAYANNUR, out2).find((d) => d.type === 'add')?.text).toBe('    who: { all: true }');
    expect(loadPolicy(out2).errors).toEqual([]);
  });

  it('a wrong value gets a Chinese message at its field, so the form never writes an invalid document', () => {
    const form = formOf(BAYANNUR);
    const i = ruleIndex(form, 'homeroom-annual');
    const bad = withRule(form, 'homeroom-annual', { atLeast: -1, reminderDays: [7, 7], window: { type: 'fixed', from: '2025-12-31', to: '2025-01-01' } });
    const e = formErrors(form, { ...bad, periodFrom: '2023-02-30' });
    expect(e[`rules[${i}].atLeast`]).toBe('不能为负数');
    expect(e[`rules[${i}].reminders.daysBefore`]).toBe('提醒天数 7 重复');
    expect(e[`rules[${i}].window.to`]).toBe('结束日期不能早于开始日期');
    expect(e['period.from']).toContain('实施期开始日期应为有效日期');
    expect(formErrors(form, withRule(form, 'homeroom-annual', { atLeast: null }))[`rules[${i}].atLeast`]).toContain('请填写数字');
    expect(formErrors(form, withRule(form, 'homeroom-annual', { reminderDays: parseDays('30、abc') }))[`rules[${i}].reminders.daysBefore`]).toContain(
      '1—365 的整数',
    );
    expect(formErrors(form, form.values)).toEqual({});
    // Loader paths land on the form's fields.
    expect(fieldOfPath('rules[3].window.cycle.years')).toBe('rules[3].window.years');
    expect(fieldOfPath('rules[3].reminders.daysBefore[1]')).toBe('rules[3].reminders.daysBefore');
    expect(fieldOfPath('rules[3].who.role')).toBe('rules[3].who.role');
  });

  it('a title that states the figure once follows the new figure; otherwise it stays', () => {
    expect(titleFor('班主任每年研修不少于 40 学时', 40, 48)).toBe('班主任每年研修不少于 48 学时');
    expect(titleFor('每次集中培训参训人数达到专任教师的 95% 以上', 95, 90)).toBe('每次集中培训参训人数达到专任教师的 90% 以上');
    expect(titleFor('2023—2025 年校本培训完成 120 学时', 120, 150)).toBe('2023—2025 年校本培训完成 150 学时');
    expect(titleFor('每 4 年 4 次', 4, 5)).toBe('每 4 年 4 次');
    expect(titleFor('班主任研修 40 学时', 40, null)).toBe('班主任研修 40 学时');
    const form = formOf(BAYANNUR);
    const i = ruleIndex(form, 'homeroom-annual');
    const out = applyForm(BAYANNUR, form, withRule(form, 'homeroom-annual', { atLeast: 48, title: titleFor(form.values.rules[i].title, 40, 48) }));
    expect(changeSummary(BAYANNUR, out).map(changeText)).toContain('班主任研修 · 标题：班主任每年研修不少于 40 学时 → 班主任每年研修不少于 48 学时');
    expect(formErrors(form, withRule(form, 'homeroom-annual', { title: ' ' }))[`rules[${i}].title`]).toContain('请填写规则标题');
  });

  it('a YAML that does not parse gets a message instead of a form', () => {
    const r = readForm('policy: a\n  title: b\n: x');
    expect(r.ok).toBe(false);
  });
});

describe('the diff before publishing', () => {
  it('names changed figures in words: 班主任研修 · 要求：40 学时 → 48 学时', () => {
    const form = formOf(BAYANNUR);
    const out = applyForm(BAYANNUR, form, withRule(form, 'homeroom-annual', { atLeast: 48, roles: ['homeroom', 'ideology'] }));
    expect(changeSummary(BAYANNUR, out).map(changeText)).toEqual([
      '班主任研修 · 要求：40 学时 → 48 学时',
      '班主任研修 · 适用岗位：班主任 → 班主任、思政课教师',
    ]);
    expect(changeSummary(BAYANNUR, BAYANNUR)).toEqual([]);
  });

  it('a line diff keeps context around each change and marks gaps', () => {
    const a = Array.from({ length: 30 }, (_, i) => `l${i}`).join('\n');
    const b = a.replace('l5', 'L5').replace('l25', 'L25');
    const d = diffLines(a, b);
    expect(d.filter((x) => x.type === 'del').map((x) => x.text)).toEqual(['l5', 'l25']);
    expect(d.filter((x) => x.type === 'add').map((x) => [x.text, x.newLine])).toEqual([
      ['L5', 6],
      ['L25', 26],
    ]);
    const h = diffHunks(d, 2);
    expect(h.filter((x) => x === null)).toHaveLength(1);
    expect(h.filter((x) => x !== null)).toHaveLength(2 * (2 + 2 + 2));
  });
});

describe('citations by title', () => {
  it('a rule’s source shows as 《plan》§section, the file name only when the title is unknown', () => {
    const r = loadPolicy(BAYANNUR);
    if (!r.ok) throw new Error('seed');
    const rule = r.policy.rules.find((x) => x.id === 'homeroom-annual')!;
    expect(citeLabel(rule.cite)).toBe('《巴彦淖尔市教师专业能力提升行动计划（2023年—2025年）》§二（三）');
    expect(citeLabel({ file: 'x.txt', section: '一' })).toBe('x.txt§一');
  });
});
