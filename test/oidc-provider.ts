import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/**
 * A real OpenID Provider (oidc-provider, a certified implementation) on a random local port, for the OIDC
 * tests: one confidential client, the person claims `id_card` (scope idcard) and `phone_number` (scope phone),
 * and the development interactions (any login name is an account; the claims come from `accounts`).
 * `browser()` is a user agent with its own cookie jar that walks the provider's pages.
 */
export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  /** The claims of each account (by login name); change them between tests. */
  accounts: Record<string, Record<string, string>>;
  close(): Promise<void>;
}

export const APP_ORIGIN = 'http://localhost:3999';

export async function startTestProvider(): Promise<TestProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const accounts: Record<string, Record<string, string>> = {};
  const p: TestProvider = {
    issuer,
    clientId: 'qiangshi',
    clientSecret: 'qiangshi-test-client-secret-0123456789',
    redirectUri: `${APP_ORIGIN}/api/auth/oidc/callback`,
    postLogoutRedirectUri: `${APP_ORIGIN}/login`,
    accounts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: p.clientId,
        client_secret: p.clientSecret,
        redirect_uris: [p.redirectUri],
        post_logout_redirect_uris: [p.postLogoutRedirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    claims: { openid: ['sub'], idcard: ['id_card'], phone: ['phone_number'] },
    scopes: ['openid', 'idcard', 'phone'],
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub, ...(accounts[sub] ?? {}) }) }),
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    cookies: { keys: ['test-provider-cookie-key-0123456789'] },
    pkce: { required: () => true },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
  });
  server.on('request', provider.callback());
  return p;
}

/** A browser's view of the provider: its cookies, following redirects until they leave the provider. */
export class ProviderBrowser {
  private cookies = new Map<string, string>();

  constructor(private issuer: string) {}

  private async request(url: string, init: { method?: string; form?: Record<string, string> } = {}) {
    const res = await fetch(url, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i);
      const value = pair.slice(i + 1);
      if (!value || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  /**
   * Open `url` at the provider and go through its pages as the person `login` (sign-in, consent) until it sends
   * the browser away; that URL (the app's callback or post-logout page). `pages` collects the provider's pages seen.
   */
  async go(url: string, login: string, opts: { method?: string; form?: Record<string, string>; pages?: string[] } = {}): Promise<URL> {
    let res = await this.request(url, opts);
    let at = new URL(url);
    for (let i = 0; i < 20; i++) {
      if (res.status >= 300 && res.status < 400) {
        at = new URL(res.headers.get('location') as string, at);
        if (!at.href.startsWith(this.issuer)) return at;
        res = await this.request(at.href);
        continue;
      }
      const html = await res.text();
      if (res.status !== 200) throw new Error(`provider answered ${res.status}: ${html.slice(0, 300)}`);
      const action = new URL(/action="([^"]+)"/.exec(html)?.[1] ?? '', at).href;
      const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
      const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
      opts.pages?.push(prompt ?? (xsrf ? 'logout' : 'unknown'));
      const form: Record<string, string> =
        prompt === 'login' ? { prompt, login, password: 'any' } : prompt === 'consent' ? { prompt } : xsrf ? { xsrf, logout: 'yes' } : {};
      if (!Object.keys(form).length) throw new Error(`unexpected provider page: ${html.slice(0, 300)}`);
      res = await this.request(action, { method: 'POST', form });
      at = new URL(action);
    }
    throw new Error('too many redirects at the provider');
  }
}
