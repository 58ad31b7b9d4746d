import { describe, expect, it } from 'vitest';
import type { ParsedRule } from '../../api/types';
import { bareMessage, bumpVersion, lineRange } from './editorText';
import { deadlineText, figureText, reminderText, subjectText, whoText, windowText } from './format';

const period = { from: '2023-01-01', to: '2025-12-31' };
const rule = (r: Partial<ParsedRule> & Pick<ParsedRule, 'kind'>): ParsedRule => ({ id: 'x', title: 't', cite: { section: '一', text: '原文原话' }, ...r });

describe('policy editor text', () => {
  it('finds a line by number, so an error click selects exactly that line', () => {
    const text = 'policy: a\nversion: 1\n  title: bad\nrules: []';
    const r = lineRange(text, 3, 3);
    expect(text.slice(r.start, r.end)).toBe('  title: bad');
    expect(r.at).toBe(r.start + 2);
    // Out of range: clamped to the last line rather than throwing.
    expect(text.slice(lineRange(text, 99).start, lineRange(text, 99).end)).toBe('rules: []');
  });

  it('drops the line/field prefix the error list shows separately, keeps other messages whole', () => {
    expect(bareMessage({ path: 'rules[0].colour', line: 16, column: 5, message: '第 16 行 rules[0].colour：无法识别的字段 “colour”' })).toBe(
      '无法识别的字段 “colour”',
    );
    expect(bareMessage({ path: '', line: 2, column: 1, message: '第 2 行：至少要有一条规则' })).toBe('至少要有一条规则');
    const yaml = 'YAML 格式错误：缩进不正确（第 2 行第 10 列）';
    expect(bareMessage({ path: '', line: 2, column: 10, message: yaml })).toBe(yaml);
  });

  it('bumps only the document version, not a rule field named version', () => {
    const text = 'policy: a\nversion: 3\nrules:\n  - id: r\n    version: 7\n';
    expect(bumpVersion(text, 4)).toBe('policy: a\nversion: 4\nrules:\n  - id: r\n    version: 7\n');
  });
});

describe('rules in plain Chinese', () => {
  it('reads selectors', () => {
    expect(whoText({ all: true })).toBe('全体教师');
    expect(whoText({ role: ['psychFullTime', 'psychPartTime'] })).toBe('专职心理健康教师或兼职心理健康教师');
    expect(whoText({ subject: '语文', stage: ['primary', 'junior'] })).toBe('学段：小学、初中；任教语文');
  });

  it('reads windows and their deadlines', () => {
    expect(windowText({ every: 'year' }, period)).toBe('每个自然年');
    expect(windowText({ period: true }, { from: '2023-01-01', to: null })).toBe('实施期（2023-01-01 至 长期）');
    expect(windowText({ cycle: { years: 5, anchor: '2021-01-01' } }, period)).toBe('每 5 年一个周期（自 2021-01-01 起）');
    expect(windowText({ afterHire: { years: 1, leadDays: 92 } }, period)).toBe('入职后 1 年内（含入职前 92 天）');
    expect(deadlineText(rule({ kind: 'hours', window: { period: true } }), period)).toBe('2025-12-31');
    expect(deadlineText(rule({ kind: 'credential', deadline: '2025-06-30' }), period)).toBe('2025-06-30');
    expect(deadlineText(rule({ kind: 'credential' }), period)).toBe('即时（应一直满足）');
  });

  it('reads figures by kind, and says so when the seed gives none', () => {
    expect(figureText(rule({ kind: 'hours', categories: ['homeroom'], atLeast: 40 }))).toBe('≥ 40 学时（班主任）');
    expect(figureText(rule({ kind: 'hours', categories: ['induction'], unit: 'days', atLeast: 10 }))).toBe('≥ 10 天（岗前培训）');
    expect(figureText(rule({ kind: 'hours', categories: 'any', atLeast: null }))).toBe('不限类别（原文未给数字）');
    expect(figureText(rule({ kind: 'staffing', ratio: { of: { all: true }, having: { keyTeacher: true } }, atLeast: 0.3 }))).toBe('≥ 30%');
    expect(figureText(rule({ kind: 'credential', require: { mandarin: { atLeast: '2A' } } }))).toBe('普通话 二级甲等 及以上');
    expect(subjectText(rule({ kind: 'staffing', per: 'school', count: { role: 'psychFullTime' } }))).toBe('每所学校：专职心理健康教师人数');
  });
});

describe('reminder setting (达标期限提醒)', () => {
  const hours = rule({ kind: 'hours' });
  it('defaults to 7 days; the document’s setting applies; a rule’s own wins; largest first', () => {
    expect(reminderText({}, hours, 'teacher')).toBe('截止前 7 天提醒');
    expect(reminderText({ reminders: { daysBefore: [7, 30] } }, hours, 'teacher')).toBe('截止前 30 天、7 天提醒');
    expect(reminderText({ reminders: { daysBefore: [30, 7] } }, rule({ kind: 'hours', reminders: { daysBefore: [3] } }), 'teacher')).toBe('截止前 3 天提醒');
  });
  it('says nothing for rules that judge a school or region (only teachers are reminded)', () => {
    expect(reminderText({ reminders: { daysBefore: [30] } }, rule({ kind: 'staffing' }), 'school')).toBeNull();
  });
});
