import { describe, expect, it } from 'vitest';
import { ConfigError, DEMO_SECRET, isLoopback, loadConfig, parsePublicUrl, parseTrustedProxies, publicBaseUrl } from './config.js';

const SECRET = 'a-real-deployment-secret-0123456789abcdef';
const PROD = { NODE_ENV: 'production', QIANGSHI_SECRET: SECRET, PUBLIC_URL: 'https://qs.example.cn', HOST: '0.0.0.0' };

const refused = (env: NodeJS.ProcessEnv, pattern: RegExp) => {
  let err: unknown;
  try {
    loadConfig(env);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ConfigError);
  expect((err as Error).message).toMatch(pattern);
  // Every refusal says it in Chinese too.
  expect((err as Error).message).toMatch(/[\u4e00-\u9fff]/);
};

describe('insecure defaults are refused (issue 9 item 2)', () => {
  it('a bare start is no demo and listens on loopback only', () => {
    const c = loadConfig({});
    expect(c.demo).toBe(false);
    expect(c.host).toBe('127.0.0.1');
    expect(c.trustedProxies).toEqual([]);
  });

  it('refuses a non-loopback address with the demo secret (unset or set to the demo value)', () => {
    refused({ HOST: '0.0.0.0' }, /demo secret/);
    refused({ HOST: '192.168.1.20', DEMO: '1' }, /QIANGSHI_SECRET/);
    refused({ HOST: '::', QIANGSHI_SECRET: DEMO_SECRET }, /演示密钥/);
    expect(loadConfig({ HOST: '0.0.0.0', QIANGSHI_SECRET: SECRET }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: 'localhost', DEMO: '1' }).demo).toBe(true);
  });

  it('production: needs a real secret and PUBLIC_URL, and never runs the demo', () => {
    expect(loadConfig(PROD).production).toBe(true);
    refused({ ...PROD, QIANGSHI_SECRET: undefined, HOST: '127.0.0.1' }, /QIANGSHI_SECRET must be set/);
    refused({ ...PROD, QIANGSHI_SECRET: DEMO_SECRET, HOST: '127.0.0.1' }, /demo secret/);
    refused({ ...PROD, DEMO: '1' }, /DEMO=1 is refused in production/);
    refused({ ...PROD, PUBLIC_URL: undefined }, /PUBLIC_URL must be set/);
  });

  it('PUBLIC_URL: an http(s) address, normalised without a trailing slash; it is the base of every link', () => {
    expect(parsePublicUrl('https://qs.example.cn/')).toBe('https://qs.example.cn');
    expect(parsePublicUrl('https://qs.example.cn:8443/qiangshi/')).toBe('https://qs.example.cn:8443/qiangshi');
    expect(parsePublicUrl(undefined)).toBeUndefined();
    for (const bad of ['qs.example.cn', 'ftp://qs.example.cn', 'https://u:p@qs.example.cn', 'https://qs.example.cn/?x=1'])
      expect(() => parsePublicUrl(bad)).toThrow(ConfigError);
    expect(publicBaseUrl(loadConfig(PROD))).toBe('https://qs.example.cn');
    expect(publicBaseUrl(loadConfig({ PORT: '3100' }))).toBe('http://localhost:3100');
  });

  it('TRUSTED_PROXIES: addresses and CIDRs only', () => {
    expect(parseTrustedProxies('10.0.0.1, 172.16.0.0/12,::1, fd00::/8, loopback')).toEqual(['10.0.0.1', '172.16.0.0/12', '::1', 'fd00::/8', 'loopback']);
    expect(parseTrustedProxies(undefined)).toEqual([]);
    for (const bad of ['*', 'true', 'proxy.example.cn', '10.0.0.0/33', '10.0.0.1/8/1']) expect(() => parseTrustedProxies(bad)).toThrow(ConfigError);
  });

  it('knows which listen addresses are loopback', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(isLoopback(h)).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.0.2', 'example.cn', '127.0.0.1.example.cn']) expect(isLoopback(h)).toBe(false);
  });
});
