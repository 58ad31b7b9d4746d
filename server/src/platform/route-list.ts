import type { FastifyInstance } from 'fastify';

/** One registered route: what the permission matrix and the fuzz test enumerate. */
export interface RouteEntry {
  method: string;
  /** The full path with fastify's parameter syntax, e.g. '/api/teachers/:id'. */
  url: string;
  /** The route's zod schemas (params, querystring, body), when it declared them. */
  schema: { params?: unknown; querystring?: unknown; body?: unknown; hide?: boolean; consumes?: string[] };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Answers without a login (sign-in, the public certificate check …); every other /api route needs one. */
    public?: boolean;
  }
}

const registry = new WeakMap<FastifyInstance, RouteEntry[]>();

/**
 * Record every route registered on `app` from now on (hidden ones too; fastify's automatic HEAD routes are
 * skipped). Call it before the first route is registered.
 */
export function recordRoutes(app: FastifyInstance): void {
  const list: RouteEntry[] = [];
  registry.set(app, list);
  app.addHook('onRoute', (r) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    for (const m of methods) {
      if (m === 'HEAD' || m === 'OPTIONS') continue;
      list.push({ method: m, url: r.url, schema: (r.schema ?? {}) as RouteEntry['schema'] });
    }
  });
}

/** The routes recorded on `app` (see recordRoutes), in registration order. */
export function routesOf(app: FastifyInstance): readonly RouteEntry[] {
  const list = registry.get(app);
  if (!list) throw new Error('routesOf: recordRoutes(app) was not called before the routes were registered');
  return list;
}
