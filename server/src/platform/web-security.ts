import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { SECOND_FACTOR_EXEMPT_ROLES } from './access.js';
import { AppError } from './errors.js';

/**
 * Browser-facing protections that do not belong to one module: the Content-Security-Policy, the CSRF origin
 * check, the session cookie's Secure flag and who may read the API documentation.
 */

/**
 * The CSP of every response. The built app loads only its own scripts (Vite emits no inline script); Ant Design
 * writes its styles at run time (CSS-in-JS <style> elements), so styles — and only styles — may be inline. QR
 * codes and the favicon are data: URLs; downloads use blob: URLs. Nothing may frame the app.
 */
export function cspDirectives(config: Pick<Config, 'publicUrl'>): Record<string, string[] | null> {
  return {
    defaultSrc: ["'self'"],
    baseUri: ["'self'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'blob:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    // Over plain http (the demo on localhost, a LAN test) upgrading would break every request.
    upgradeInsecureRequests: config.publicUrl?.startsWith('https:') ? [] : null,
  };
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The origin ('https://host:port') of a header value, or null when it is none ('null', garbage). */
function originOf(value: string): string | null {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}

/**
 * CSRF: a state-changing request (POST/PUT/PATCH/DELETE) that says where it comes from (Origin, else Referer)
 * must come from the app's own origin — PUBLIC_URL's origin, or (PUBLIC_URL unset: development, the
 * demo) the host the request was sent to; with or without a session cookie. Browsers always send Origin on a
 * cross-site POST (and on same-origin ones under our Referrer-Policy), so a request with neither header is not a
 * browser's forged one (curl, scripts, the test harness) and is allowed. A foreign or opaque ('null') origin is
 * refused with 403, also on 登录 (login CSRF).
 */
export function checkCsrf(req: FastifyRequest, config: Pick<Config, 'publicUrl'>): void {
  if (!UNSAFE.has(req.method)) return;
  const origin = req.headers.origin;
  const referer = req.headers.referer;
  const claimed = typeof origin === 'string' ? origin : typeof referer === 'string' ? referer : undefined;
  if (claimed === undefined) return;
  const from = originOf(claimed);
  // Without PUBLIC_URL: the Host the request was sent to, over either scheme (a TLS proxy that is not trusted
  // makes req.protocol 'http' while the browser's origin is https).
  const own = config.publicUrl ? [originOf(config.publicUrl)] : [originOf(`http://${req.host}`), originOf(`https://${req.host}`)];
  const ok = from !== null && own.includes(from);
  if (!ok) throw new AppError('FORBIDDEN', '请求来源不是本系统页面，已拒绝（跨站请求防护）。请从本系统页面重新操作');
}

/**
 * Whether the session cookie gets `Secure`: the request came over HTTPS (directly, or through a trusted proxy's
 * X-Forwarded-Proto — req.protocol believes only TRUSTED_PROXIES) or the public address is https.
 */
export function cookieSecure(config: Pick<Config, 'publicUrl'>, req: FastifyRequest): boolean {
  return req.protocol === 'https' || !!config.publicUrl?.startsWith('https:');
}

/**
 * The API documentation (/api/docs…): open in development; in production only for a signed-in admin (any role
 * but 教师 and 评审专家), so the route map is not handed to anyone who asks.
 */
export function checkDocsAccess(req: FastifyRequest, config: Pick<Config, 'production'>): void {
  if (!config.production) return;
  if (!req.user) throw new AppError('UNAUTHENTICATED', '请先登录');
  if (SECOND_FACTOR_EXEMPT_ROLES.includes(req.user.role)) throw new AppError('FORBIDDEN', 'API 文档仅向管理员开放');
}
