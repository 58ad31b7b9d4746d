import { describe, expect, it } from 'vitest';
import { AppError } from './errors.js';
import { computeLoad, HEAVY_LIMITS, heavyLimiter, limitCompute, MSG_BUSY_GLOBAL, MSG_BUSY_SELF } from './heavy.js';

describe('limitCompute', () => {
  it(`runs at most ${HEAVY_LIMITS.computeConcurrency} summary computations at once; the others queue and all finish`, async () => {
    const opens: (() => void)[] = [];
    const started: number[] = [];
    const jobs = Array.from({ length: 10 }, (_, i) =>
      limitCompute(async () => {
        started.push(i);
        await new Promise<void>((resolve) => opens.push(resolve));
        return i;
      }),
    );
    await new Promise((r) => setImmediate(r));
    expect(computeLoad()).toEqual({ running: HEAVY_LIMITS.computeConcurrency, queued: 10 - HEAVY_LIMITS.computeConcurrency });
    expect(started).toHaveLength(HEAVY_LIMITS.computeConcurrency);
    while (opens.length) {
      (opens.shift() as () => void)();
      await new Promise((r) => setImmediate(r));
      expect(started.length - (10 - computeLoad().queued - computeLoad().running)).toBeLessThanOrEqual(HEAVY_LIMITS.computeConcurrency);
    }
    expect(await Promise.all(jobs)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(computeLoad()).toEqual({ running: 0, queued: 0 });
  });

  it('frees its slot when the computation fails', async () => {
    await expect(limitCompute(() => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(computeLoad()).toEqual({ running: 0, queued: 0 });
  });
});

describe('heavyLimiter', () => {
  const fail = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      if (e instanceof AppError) return { status: e.status, message: e.message };
      throw e;
    }
    return null;
  };

  it('admits one per account, a global number, and frees on release (idempotent)', () => {
    const l = heavyLimiter({});
    const a = l.enter(1, 'import');
    expect(fail(() => l.enter(1, 'export'))).toEqual({ status: 429, message: MSG_BUSY_SELF });
    const others = [2, 3, 4].map((u) => l.enter(u, 'export'));
    expect(fail(() => l.enter(5, 'export'))).toEqual({ status: 503, message: MSG_BUSY_GLOBAL });
    a();
    a();
    expect(l.total).toBe(3);
    const b = l.enter(5, 'export');
    for (const r of [...others, b]) r();
    expect(l.total).toBe(0);
  });

  it('counts admissions per account and kind within a minute', () => {
    const l = heavyLimiter({});
    const t0 = 1_000_000;
    for (let i = 0; i < HEAVY_LIMITS.perMinute.refresh; i++) l.enter(7, 'refresh', undefined, t0 + i)();
    expect(fail(() => l.enter(7, 'refresh', undefined, t0 + 100))?.message).toContain('请 60 秒后再试');
    l.enter(7, 'export', undefined, t0 + 100)();
    l.enter(7, 'refresh', undefined, t0 + 60_001)();
  });
});
