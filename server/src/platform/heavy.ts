import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './errors.js';

/**
 * Heavy requests — imports (parsing an upload), exports (building a workbook) and forced summary
 * recomputations (`refresh=1`) — cost seconds of CPU and hundreds of MB. They are admitted here, before
 * the handler reads anything: per account a rate and one at a time, and a global number at once, so that
 * a few users cannot stall everyone else's requests. The parsing/building itself runs on the worker
 * threads of platform/excel-pool.ts; summary computations share the semaphore `limitCompute`.
 */
export const HEAVY_LIMITS = {
  /** Heavy requests of one account running at once. */
  perUser: 1,
  /** Heavy requests admitted at once across all accounts (the worker pool runs 1–2, the rest queue). */
  global: 4,
  /** Retry-After of the 503 when the global limit is reached. */
  retryAfterSeconds: 10,
  /** Per account and minute. */
  perMinute: { import: 20, export: 10, refresh: 6 } as Record<HeavyKind, number>,
  /** Summary computations (dashboard, background refresh) running at once in the process. */
  computeConcurrency: 2,
  /** Rows between two yields to I/O in a long synchronous loop (`breather`). */
  breatheEvery: 500,
};

export type HeavyKind = 'import' | 'export' | 'refresh';

const LABEL: Record<HeavyKind, string> = { import: '导入', export: '导出', refresh: '刷新汇总' };

type Rule = HeavyKind | ((req: FastifyRequest) => HeavyKind | null);

/** The heavy routes (method and full URL pattern). New import/export routes belong here. */
export const HEAVY_ROUTES: Record<string, Rule> = {
  'POST /api/teachers/import/preview': 'import',
  'POST /api/indicators/:kind/import/preview': 'import',
  'POST /api/hour-imports/analyse': 'import',
  'POST /api/hour-imports': 'import',
  'POST /api/projects/:id/quotas/sheet': 'import',
  'GET /api/teachers/export': 'export',
  'GET /api/teachers/import/:batchId/errors': 'export',
  'GET /api/hour-imports/:id/report.xlsx': 'export',
  'GET /api/indicators/:kind/export': 'export',
  'GET /api/compliance/summary.xlsx': 'export',
  'GET /api/audit/export': 'export',
  'GET /api/accounts/slips/:id/download': 'export',
  'GET /api/hours/summary/table.xlsx': 'export',
  'GET /api/sessions/:id/attendance.xlsx': 'export',
  'GET /api/projects/:id/attendance.xlsx': 'export',
  'GET /api/region-reports/preview': 'refresh',
  'POST /api/region-reports/report.pdf': 'export',
  'POST /api/region-reports/report.xlsx': 'export',
  'GET /api/rotations/counts.xlsx': 'export',
  'GET /api/rotations/records/template.xlsx': 'export',
  'POST /api/rotations/records/import': 'import',
  'GET /api/compliance/summary': (req) => ((req.query as { refresh?: unknown }).refresh === true ? 'refresh' : null),
};

export const MSG_BUSY_SELF = '上一个导入/导出尚未完成，请等它完成后再试';
export const MSG_BUSY_GLOBAL = '系统正在处理较多的导入/导出，请稍后再试';

class HeavyLimiter {
  /** Account id → its running heavy requests. */
  readonly running = new Map<number, number>();
  total = 0;
  /** Account id:kind → admission times within the last minute. */
  private readonly recent = new Map<string, number[]>();
  private gate: Promise<void> | null = null;

  /** Admit one heavy request of `userId` or throw 429/503; returns the release (idempotent). */
  enter(userId: number, kind: HeavyKind, reply?: FastifyReply, now = Date.now()): () => void {
    const key = `${userId}:${kind}`;
    const times = (this.recent.get(key) ?? []).filter((t) => t > now - 60_000);
    const max = HEAVY_LIMITS.perMinute[kind];
    if (times.length >= max) {
      const wait = Math.max(1, Math.ceil((times[0] + 60_000 - now) / 1000));
      reply?.header('Retry-After', String(wait));
      throw new AppError('RATE_LIMITED', `${LABEL[kind]}过于频繁：每个账号每分钟最多 ${max} 次，请 ${wait} 秒后再试`);
    }
    if ((this.running.get(userId) ?? 0) >= HEAVY_LIMITS.perUser) throw new AppError('RATE_LIMITED', MSG_BUSY_SELF);
    if (this.total >= HEAVY_LIMITS.global) {
      reply?.header('Retry-After', String(HEAVY_LIMITS.retryAfterSeconds));
      throw new AppError('UNAVAILABLE', MSG_BUSY_GLOBAL);
    }
    times.push(now);
    this.recent.set(key, times);
    if (this.recent.size > 10_000) for (const [k, v] of this.recent) if (v[v.length - 1] <= now - 60_000) this.recent.delete(k);
    this.running.set(userId, (this.running.get(userId) ?? 0) + 1);
    this.total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const left = (this.running.get(userId) ?? 1) - 1;
      if (left > 0) this.running.set(userId, left);
      else this.running.delete(userId);
    };
  }

  /**
   * Tests: start a new rate window for everyone. The permission matrix calls every export route as every
   * role within a few minutes; the rates themselves are tested in heavy.db.test.ts.
   */
  forgetRates(): void {
    this.recent.clear();
  }

  /** Tests: admitted requests wait (holding their slots) until the returned function is called. */
  hold(): () => void {
    let open = () => {};
    this.gate = new Promise<void>((resolve) => (open = resolve));
    return () => {
      this.gate = null;
      open();
    };
  }

  waitGate(): Promise<void> | null {
    return this.gate;
  }
}

const limiters = new WeakMap<object, HeavyLimiter>();

/** The limiter of one app (keyed by its context: tests run several apps in one process). */
export function heavyLimiter(owner: object): HeavyLimiter {
  let l = limiters.get(owner);
  if (!l) limiters.set(owner, (l = new HeavyLimiter()));
  return l;
}

declare module 'fastify' {
  interface FastifyRequest {
    heavyRelease?: () => void;
  }
}

/** Admission of the heavy routes (HEAVY_ROUTES): after sign-in and validation, before the handler. */
export function installHeavyLimits(app: FastifyInstance, owner: object): void {
  const limiter = heavyLimiter(owner);
  app.addHook('preHandler', async (req, reply) => {
    const rule = HEAVY_ROUTES[`${req.method} ${req.routeOptions.url}`];
    if (!rule || !req.user) return;
    const kind = typeof rule === 'function' ? rule(req) : rule;
    if (!kind) return;
    const release = limiter.enter(req.user.id, kind, reply);
    req.heavyRelease = release;
    reply.raw.once('close', release);
    const gate = limiter.waitGate();
    if (gate) await gate;
  });
  // Released when the response has been sent (a streamed export: when the last byte is out) or the client left.
  app.addHook('onResponse', async (req) => req.heavyRelease?.());
}

const computeQueue: (() => void)[] = [];
let computing = 0;

/**
 * Run `fn` when fewer than HEAVY_LIMITS.computeConcurrency summary computations are running (a
 * process-wide semaphore): ten concurrent refreshes then queue instead of interleaving on the event loop.
 */
export async function limitCompute<T>(fn: () => Promise<T>): Promise<T> {
  if (computing >= HEAVY_LIMITS.computeConcurrency) await new Promise<void>((resolve) => computeQueue.push(resolve));
  else computing++;
  try {
    return await fn();
  } finally {
    const next = computeQueue.shift();
    if (next) next();
    else computing--;
  }
}

/** Summary computations running and waiting (tests, benchmarks). */
export function computeLoad(): { running: number; queued: number } {
  return { running: computing, queued: computeQueue.length };
}

/**
 * Let other requests in during a long synchronous loop on the request thread (validating and encrypting the
 * rows of a large import): `await breather(i)` yields to I/O every `every` iterations.
 */
export function breather(i: number, every = HEAVY_LIMITS.breatheEvery): Promise<void> | undefined {
  return i % every === every - 1 ? new Promise<void>((resolve) => setImmediate(resolve)) : undefined;
}
