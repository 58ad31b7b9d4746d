import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, apiUrl, setUnauthorizedHandler } from './client';
import { fieldPath } from '../hooks';

function respond(status: number, body: unknown, contentType = 'application/json') {
  return vi.fn(async () => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': contentType } }));
}

afterEach(() => {
  vi.unstubAllGlobals();
  setUnauthorizedHandler(null);
});

describe('api client', () => {
  it('builds query strings without empty filters', () => {
    expect(apiUrl('/teachers', { q: '', orgId: 3, stage: undefined, status: null, page: 1 })).toBe('/api/teachers?orgId=3&page=1');
    expect(apiUrl('/teachers')).toBe('/api/teachers');
  });

  it('carries the server message and field errors in ApiError', async () => {
    vi.stubGlobal(
      'fetch',
      respond(400, { error: 'VALIDATION', message: '输入有误', fields: [{ field: 'nationalId', message: '身份证号校验位错误，请核对' }] }),
    );
    const err = await api.post('/teachers', { name: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(400);
    expect((err as ApiError).message).toBe('输入有误');
    expect((err as ApiError).fields).toEqual([{ field: 'nationalId', message: '身份证号校验位错误，请核对' }]);
  });

  it('sends JSON with the session cookie', async () => {
    const f = respond(200, { ok: true });
    vi.stubGlobal('fetch', f);
    await api.put('/teachers/1', { version: 2 });
    const [url, init] = f.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/teachers/1');
    expect(init.method).toBe('PUT');
    expect(init.credentials).toBe('same-origin');
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
    expect(init.body).toBe('{"version":2}');
  });

  it('calls the 401 handler unless the caller handles 401 itself', async () => {
    const onUnauthorized = vi.fn();
    setUnauthorizedHandler(onUnauthorized);
    vi.stubGlobal('fetch', respond(401, { error: 'UNAUTHENTICATED', message: '请先登录' }));
    await expect(api.get('/teachers')).rejects.toThrow('请先登录');
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    await expect(api.post('/auth/login', {}, { noAuthRedirect: true })).rejects.toThrow('请先登录');
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('gives a Chinese message for non-JSON errors and network failures', async () => {
    vi.stubGlobal('fetch', respond(413, '<html>too large</html>', 'text/html'));
    await expect(api.get('/x')).rejects.toThrow('上传内容过大');
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))),
    );
    await expect(api.get('/x')).rejects.toThrow('网络连接失败');
  });

  it('maps dotted server field names to antd name paths', () => {
    expect(fieldPath('roles.0.since')).toEqual(['roles', 0, 'since']);
    expect(fieldPath('nationalId')).toEqual(['nationalId']);
  });
});
