import { describe, expect, it } from 'vitest';
import { combineScore, ratingTo100, SCORE_PARTS } from './score.js';

describe('combineScore', () => {
  it('weights participants 40 %, experts 30 %, inspection 30 % when all parts are present', () => {
    const r = combineScore({ participants: 80, experts: 90, inspection: 70 });
    expect(r.score).toBe(80); // 32 + 27 + 21
    expect(r.renormalised).toBe(false);
    expect(r.parts.map((p) => p.effectiveWeight)).toEqual([0.4, 0.3, 0.3]);
  });

  it('renormalises over the present parts and says which part is missing', () => {
    const r = combineScore({ participants: 80, experts: 90, inspection: null });
    // (80·0.4 + 90·0.3) / 0.7 = 59 / 0.7 = 84.29
    expect(r.score).toBe(84.3);
    expect(r.renormalised).toBe(true);
    expect(r.note).toContain('缺少督导检查');
    expect(r.parts.find((p) => p.part === 'inspection')).toMatchObject({ value: null, effectiveWeight: 0 });
    expect(r.parts.find((p) => p.part === 'participants')?.effectiveWeight).toBeCloseTo(0.5714, 4);
  });

  it('uses a single present part as the whole score', () => {
    expect(combineScore({ participants: null, experts: null, inspection: 65 }).score).toBe(65);
  });

  it('has no score without any part', () => {
    const r = combineScore({ participants: null, experts: null, inspection: null });
    expect(r.score).toBeNull();
    expect(r.note).toContain('暂无');
  });

  it('keeps the defined weights summing to 1', () => {
    expect(Object.values(SCORE_PARTS).reduce((s, p) => s + p.weight, 0)).toBeCloseTo(1, 10);
  });

  it('scales a 1–5 rating to 100', () => {
    expect(ratingTo100(5)).toBe(100);
    expect(ratingTo100(4.23)).toBe(84.6);
  });
});
