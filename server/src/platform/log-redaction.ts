import type { FastifyServerOptions } from 'fastify';
import { redactPii } from './pii-view.js';

/**
 * What the server log may hold of a request: never a 身份证号, a phone number or a searched name (PIPL: logs are
 * read by operators who have no business with personal data, and kept longer than a session). Fastify logs the
 * request line of every request and never bodies; these serializers make the line safe:
 * - the values of free-text query parameters (q, name, phone, nationalId, username …) are replaced, keeping the
 *   parameter name so a log reader still sees what kind of request it was;
 * - every 15/18-digit ID and 11-digit mobile number left anywhere in the URL (path or other parameters), and in
 *   error messages and stacks, is replaced as a safety net.
 */
const FREE_TEXT_PARAMS = new Set(['q', 'name', 'phone', 'nationalid', 'national_id', 'username', 'keyword', 'search', 'ident', 'identifier', 't']);

export const REDACTED = '[已隐去]';

function decoded(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** A request URL as it may be logged. */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  const path = redactPii(decoded(at < 0 ? url : url.slice(0, at)));
  if (at < 0) return path;
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const key = decoded(eq < 0 ? pair : pair.slice(0, eq));
      if (eq < 0) return redactPii(key);
      const value = decoded(pair.slice(eq + 1));
      return `${redactPii(key)}=${FREE_TEXT_PARAMS.has(key.toLowerCase()) && value !== '' ? REDACTED : redactPii(value)}`;
    })
    .join('&');
  return `${path}?${query}`;
}

interface LoggedRequest {
  method: string;
  url: string;
  hostname?: string;
  ip?: string;
  socket?: { remotePort?: number };
  routeOptions?: { url?: string };
}

interface LoggedError {
  type?: string;
  name?: string;
  message?: string;
  stack?: string;
  code?: unknown;
  statusCode?: unknown;
}

/** Fastify logger serializers: the request line with its URL redacted, errors with IDs and phones redacted. */
export const logSerializers = {
  req(req: LoggedRequest) {
    return { method: req.method, url: redactUrl(req.url), hostname: req.hostname, remoteAddress: req.ip, remotePort: req.socket?.remotePort };
  },
  err(err: LoggedError) {
    return {
      type: String(err.name ?? err.type ?? 'Error'),
      message: redactPii(String(err.message ?? '')),
      stack: redactPii(err.stack ?? ''),
      code: err.code,
      statusCode: err.statusCode,
    };
  },
} satisfies NonNullable<Exclude<FastifyServerOptions['logger'], boolean | undefined>>['serializers'];
