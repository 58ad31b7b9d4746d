import { describe, expect, it } from 'vitest';
import { dice, duplicateScore, normaliseTitle } from './similarity.js';

describe('title normalising and bigram Dice', () => {
  it('strips spaces, punctuation, years, editions and class tails', () => {
    expect(normaliseTitle('2026年 暑期教师研修（第二期）')).toBe('暑期教师研修');
    expect(normaliseTitle('“双减”背景下作业设计·培训班')).toBe('双减背景下作业设计');
    expect(normaliseTitle('2025-2026学年度 班主任能力提升 3班')).toBe('班主任能力提升');
    expect(normaliseTitle('ＡＩ 助教 Workshop')).toBe('ai助教workshop');
  });

  it('scores the same words 1, unrelated titles near 0, close ones in between', () => {
    expect(dice('暑期教师研修', '暑期教师研修')).toBe(1);
    expect(dice('暑期教师研修', '心理健康教育')).toBe(0);
    const d = dice('暑期教师研修', '暑期教师网络研修');
    expect(d).toBeGreaterThan(0.6);
    expect(d).toBeLessThan(1);
  });
});

describe('likely duplicate', () => {
  const claim = { title: '2025年暑期教师研修', hours: 10, date: '2025-08-20' };
  it('flags the same course from another source a few days apart with similar hours', () => {
    expect(duplicateScore(claim, { title: '2025 暑期教师研修（第1期）', hours: 8, date: '2025-08-25' })).toBeGreaterThanOrEqual(0.6);
  });
  it('does not flag the same title a year apart', () => {
    expect(duplicateScore(claim, { title: '2026年暑期教师研修', hours: 10, date: '2026-08-20' })).toBeNull();
  });
  it('does not flag a different course on the same dates', () => {
    expect(duplicateScore(claim, { title: '中小学心理健康教育专题', hours: 10, date: '2025-08-20' })).toBeNull();
  });
  it('does not flag very different hours', () => {
    expect(duplicateScore(claim, { title: '暑期教师研修', hours: 40, date: '2025-08-20' })).toBeNull();
  });
});

describe('records over a period', () => {
  it("counts a date inside a project's first-to-last session as overlapping", () => {
    const project = { title: '骨干教师研修', hours: 12, date: '2025-03-01', dateTo: '2025-06-30' };
    expect(duplicateScore({ title: '骨干教师研修', hours: 12, date: '2025-05-10' }, project)).toBe(1);
    expect(duplicateScore({ title: '骨干教师研修', hours: 12, date: '2025-07-20' }, project)).toBe(1);
    expect(duplicateScore({ title: '骨干教师研修', hours: 12, date: '2025-09-15' }, project)).toBeNull();
  });
});
