import { describe, expect, it } from 'vitest';
import { checkFigure, resolveMetric } from './indicators.schema.js';

const today = new Date('2025-06-01T00:00:00Z');

describe('checkFigure', () => {
  it('accepts a figure given as Excel or a form gives it, and normalises it', () => {
    expect(checkFigure('funding', { year: '2025', metric: '培训经费预算', value: '1,234.5', source: ' 预算批复 ' }, today)).toEqual({
      ok: true,
      value: { year: 2025, metric: 'trainingBudget', value: 1234.5, source: '预算批复', reason: null },
    });
    expect(checkFigure('targets', { year: 2026, metric: '市级名教师工作室数', value: 15, source: '文件号', reason: ' 平台外命名 ' }, today)).toMatchObject({
      ok: true,
      value: { metric: 'studios.masterTeacher.city', reason: '平台外命名' },
    });
  });

  it('a target figure overrides the platform records: it needs a reason', () => {
    const r = checkFigure('targets', { year: 2025, metric: '市级名教师工作室数', value: 15, source: '文件号' }, today);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([expect.objectContaining({ field: 'reason', message: expect.stringContaining('覆盖原因') })]);
  });

  it('names every wrong field in Chinese', () => {
    const r = checkFigure('funding', { year: 2027, metric: '奖金', value: -3, source: '' }, today);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.field)).toEqual(['year', 'metric', 'value', 'source']);
    expect(r.errors[0].message).toBe('年度应在 2000—2026 之间');
  });

  it('refuses registry metrics, fractional counts and amounts with more than two decimals', () => {
    const reg = checkFigure('targets', { year: 2025, metric: 'outboundTraining', value: 3, source: '文件号' }, today);
    expect(!reg.ok && reg.errors[0].message).toContain('自动统计');
    const frac = checkFigure('targets', { year: 2025, metric: 'keyTeachersTracked', value: 1.5, source: '文件号' }, today);
    expect(!frac.ok && frac.errors[0].message).toContain('整数');
    const cents = checkFigure('funding', { year: 2025, metric: 'salaryTotal', value: 0.001, source: '文件号' }, today);
    expect(!cents.ok && cents.errors[0].message).toContain('两位小数');
  });

  it('resolves metrics by code or label, per kind', () => {
    expect(resolveMetric('funding', '工资总额')).toBe('salaryTotal');
    expect(resolveMetric('funding', 'studios.masterTeacher.city')).toBeNull();
    expect(resolveMetric('targets', 'teachersHired')).toBeNull();
  });
});
