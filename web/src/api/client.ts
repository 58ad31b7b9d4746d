/** A small typed fetch client for /api: JSON in and out, cookie session, Chinese errors from the server. */

export interface FieldError {
  field: string;
  message: string;
}

/** An error the server (or the network) reported; `message` is ready to show to the user. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Don't bounce to /login on 401 (the login and check-in pages handle it themselves). */
  noAuthRedirect?: boolean;
  signal?: AbortSignal;
}

let onUnauthorized: (() => void) | null = null;

/** The app registers how a 401 is handled (clear the session, go to /login keeping the return path). */
export function setUnauthorizedHandler(fn: (() => void) | null): void {
  onUnauthorized = fn;
}

/** Build '/api/path?a=1' leaving out empty values, so filters map 1:1 onto query strings. */
export function apiUrl(path: string, query?: Query): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null || v === '') continue;
    qs.set(k, String(v));
  }
  const s = qs.toString();
  return `/api${path}${s ? `?${s}` : ''}`;
}

async function toApiError(res: Response): Promise<ApiError> {
  let data: { error?: string; message?: string; fields?: FieldError[] } = {};
  try {
    data = (await res.json()) as typeof data;
  } catch {
    // Not JSON (a proxy error page, for instance): fall through to a generic message.
  }
  const fallback =
    res.status === 401
      ? '请先登录'
      : res.status === 403
        ? '无权执行此操作'
        : res.status === 404
          ? '记录不存在或无权访问'
          : res.status === 413
            ? '上传内容过大'
            : `请求失败（${res.status}）`;
  return new ApiError(res.status, data.error ?? 'HTTP_' + res.status, data.message || fallback, Array.isArray(data.fields) ? data.fields : []);
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const isForm = typeof FormData !== 'undefined' && opts.body instanceof FormData;
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: BodyInit | undefined;
  if (opts.body !== undefined) {
    if (isForm) body = opts.body as FormData;
    else {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
  }
  let res: Response;
  try {
    res = await fetch(apiUrl(path, opts.query), { method, headers, body, credentials: 'same-origin', signal: opts.signal });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', '网络连接失败，请检查网络后重试');
  }
  if (!res.ok) {
    const err = await toApiError(res);
    if (res.status === 401 && !opts.noAuthRedirect) onUnauthorized?.();
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, query?: Query, opts: Omit<RequestOptions, 'query'> = {}) => request<T>('GET', path, { ...opts, query }),
  post: <T>(path: string, body?: unknown, opts: RequestOptions = {}) => request<T>('POST', path, { ...opts, body: body ?? {} }),
  put: <T>(path: string, body?: unknown, opts: RequestOptions = {}) => request<T>('PUT', path, { ...opts, body: body ?? {} }),
  del: <T>(path: string, opts: RequestOptions = {}) => request<T>('DELETE', path, opts),
};

/** The user-facing text of any thrown value. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error && e.message) return e.message;
  return '操作失败，请稍后重试';
}
