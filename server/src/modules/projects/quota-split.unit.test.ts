import { describe, expect, it } from 'vitest';
import { parsePastedQuotas, splitByWeights } from './quota-split.js';

describe('splitByWeights', () => {
  it('sums exactly to the total, in proportion, largest remainders first', () => {
    expect(splitByWeights(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(splitByWeights(10, [50, 30, 20])).toEqual([5, 3, 2]);
    expect(splitByWeights(7, [120, 80, 40, 0])).toEqual([4, 2, 1, 0]);
    const r = splitByWeights(100, [13, 7, 29, 51, 3]);
    expect(r.reduce((a, b) => a + b, 0)).toBe(100);
  });
  it('splits evenly when no unit has weight, and gives nothing for a zero total', () => {
    expect(splitByWeights(5, [0, 0])).toEqual([3, 2]);
    expect(splitByWeights(0, [3, 4])).toEqual([0, 0]);
    expect(splitByWeights(3, [])).toEqual([]);
  });
  it('never gives a seat to a unit with no teachers while others have some', () => {
    expect(splitByWeights(3, [1, 0, 1])).toEqual([2, 0, 1]);
  });
});

describe('parsePastedQuotas', () => {
  const units = [
    { orgId: 1, orgName: '甲区第一小学' },
    { orgId: 2, orgName: '甲区第二中学' },
  ];
  it('reads "单位<TAB>名额" lines from Excel, skipping a header', () => {
    expect(parsePastedQuotas('单位\t名额\n甲区第一小学\t5\n甲区第二中学\t3\n', units)).toEqual({
      items: [
        { orgId: 1, quota: 5 },
        { orgId: 2, quota: 3 },
      ],
      problems: [],
    });
  });
  it('names the lines it cannot read', () => {
    const r = parsePastedQuotas('甲区第一小学,2\n乙县一中,4\n甲区第二中学,三', units);
    expect(r.items).toEqual([{ orgId: 1, quota: 2 }]);
    expect(r.problems).toEqual(['第 2 行：找不到单位「乙县一中」', '第 3 行：「甲区第二中学」的名额「三」不是非负整数']);
  });
});
