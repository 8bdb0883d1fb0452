import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { realmOf, realms, type Realm } from '#shared/auth/realms.js';
import { localJwks, localRealms, signToken, type TokenRequest } from './keys.js';

/**
 * The local OIDC provider: what the web pages' sign-in code (oidc-client-ts) needs from a real
 * one, on the same origin as the API, in two realms as in AWS (shared/auth/realms.ts): the public
 * realm (families, meal sites) at the origin's root, the staff realm (staff, institutions) under
 * `/oidc-staff`, each with its own issuer, client id, key and session, and each listing only the
 * accounts of its roles. A real staff realm requires a TOTP code at sign-in; this one does not,
 * and its page says so. Authorization code flow with PKCE (S256 only), codes
 * single-use and valid for 60 seconds, a public client (no secret), and ID tokens signed by
 * the same key and with the same claims as `npm run -s token`, so the API accepts them exactly
 * as it accepts those. In place of a password form, the sign-in page lists demo accounts.
 *
 *   GET  [/oidc-staff]/.well-known/openid-configuration   discovery
 *   GET  [/oidc-staff]/oauth2/authorize                    the account chooser (Cognito's paths)
 *   POST [/oidc-staff]/oauth2/authorize                    the chosen account: redirect with a code
 *   POST [/oidc-staff]/oauth2/token                        code + code_verifier -> id_token, access_token
 *   GET  [/oidc-staff]/logout                              ends the session, back to post_logout_redirect_uri
 *   GET  /oidc-staff/.well-known/jwks.json                 the staff realm's keys (the public realm's are the server's /.well-known/jwks.json)
 *
 * Like a real provider it remembers who signed in (a session cookie): a later authorize
 * request (a Back into it, another tab) returns at once with a new code, without the chooser.
 *
 * Each realm's issuer is fixed (keys.ts localRealms) whatever the port, like the CLI tokens'; the
 * endpoints are on the origin the browser used. Accounts are JSON files in `<localDir>/accounts/`, read
 * on every request: `npm start` writes the demo county's, tests write their own county's.
 */
export interface LocalAccount {
  /** Stable id, the button's value. */
  readonly id: string;
  /** What the button says (Chinese: who signs in). */
  readonly label: string;
  readonly claims: TokenRequest;
}

const CODE_TTL_MS = 60_000;
export const ID_TOKEN_TTL_S = 3600;

const accountsDir = (localDir: string) => join(localDir, 'accounts');

/** Adds or replaces one file of accounts (a name per county or purpose). */
export function writeLocalAccounts(localDir: string, name: string, accounts: readonly LocalAccount[]): void {
  mkdirSync(accountsDir(localDir), { recursive: true });
  writeFileSync(join(accountsDir(localDir), `${name}.json`), JSON.stringify(accounts, null, 2));
}

export function readLocalAccounts(localDir: string): LocalAccount[] {
  const dir = accountsDir(localDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => {
      try {
        return JSON.parse(readFileSync(join(dir, f), 'utf8')) as LocalAccount[];
      } catch {
        return []; // a file being written: next request
      }
    });
}

interface PendingCode {
  readonly account: LocalAccount;
  readonly realm: Realm;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly codeChallenge: string;
  readonly nonce?: string;
  readonly expires: number;
}

/** Where each realm's endpoints are on the origin: the staff realm's authority is `<origin>/oidc-staff`. */
export const realmPath: Record<Realm, string> = { public: '', staff: '/oidc-staff' };
const sessionCookie: Record<Realm, string> = { public: 'local_idp_session', staff: 'local_idp_staff_session' };
const cookie = (req: IncomingMessage, name: string): string | undefined =>
  (req.headers.cookie ?? '').split(/;\s*/).map((c) => c.split('=')).find(([k]) => k === name)?.[1];

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const base64url = (b: Buffer) => b.toString('base64url');

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw Object.assign(new Error('form too large'), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function json(res: ServerResponse, status: number, body: unknown): true {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
  return true;
}

function html(res: ServerResponse, status: number, body: string): true {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
  return true;
}

const page = (title: string, main: string) => `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font:18px/1.6 system-ui,"Noto Sans CJK SC",sans-serif;margin:0;color:#1a1a1a;background:#f7f7f5}
main{max-width:36rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem}
button{display:block;width:100%;min-height:56px;margin:.75rem 0;padding:.5rem 1rem;font:inherit;text-align:left;
  background:#fff;color:#1a1a1a;border:2px solid #0b5394;border-radius:8px;cursor:pointer}
button:focus-visible{outline:3px solid #b45309;outline-offset:2px}
button span{display:block;font-size:1rem;color:#444}
p.note{color:#444}
</style></head><body><main>${main}</main></body></html>`;

/** The request's own origin, as the browser sees it. */
const originOf = (req: IncomingMessage) => `http://${req.headers.host ?? 'localhost'}`;

/** What each realm's sign-in page says (who signs in there, and, for staff, that TOTP is skipped here). */
const pageText: Record<Realm, { title: string; note: string }> = {
  public: { title: '本地演示登录（家属、助餐点）', note: '这是本机演示用的登录页，代替正式的统一身份认证。请选择要使用的账号：' },
  staff: {
    title: '本地演示登录（工作人员）',
    note: '这是本机演示用的工作人员登录页。正式环境中，工作人员登录须输入手机验证器 App 上的动态验证码（TOTP）；本机演示不校验动态验证码。请选择要使用的账号：',
  },
};

export function localOidcProvider(localDir: string) {
  const codes = new Map<string, PendingCode>();
  /** Session id -> account id, per realm: who signed in with this browser. */
  const sessions: Record<Realm, Map<string, string>> = { public: new Map(), staff: new Map() };
  const callbackPath = '/auth/callback';
  const accountsOf = (realm: Realm) => readLocalAccounts(localDir).filter((a) => realmOf(a.claims.role) === realm);

  /** The realm's registered client: its client id, a redirect back to this origin's callback page. */
  const checkClient = (realm: Realm, origin: string, p: URLSearchParams): string | undefined => {
    if (p.get('client_id') !== localRealms[realm].audience) return '未知的应用（client_id）。';
    if (p.get('redirect_uri') !== `${origin}${callbackPath}`) return '回调地址未登记（redirect_uri）。';
    if (p.get('response_type') !== 'code') return '只支持授权码方式（response_type=code）。';
    if (!p.get('code_challenge') || p.get('code_challenge_method') !== 'S256') return '需要 PKCE（code_challenge_method=S256）。';
    if (!(p.get('scope') ?? '').split(' ').includes('openid')) return '需要 openid 范围（scope）。';
    return undefined;
  };

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const method = (req.method ?? 'GET').toUpperCase();
    const origin = originOf(req);
    const realm = realms.find((r) => realmPath[r] && url.pathname.startsWith(`${realmPath[r]}/`)) ?? 'public';
    const base = realmPath[realm];
    const path = url.pathname.slice(base.length);
    const cookiePath = base || '/';

    if (method === 'GET' && path === '/.well-known/openid-configuration') {
      return json(res, 200, {
        issuer: localRealms[realm].issuer,
        authorization_endpoint: `${origin}${base}/oauth2/authorize`,
        token_endpoint: `${origin}${base}/oauth2/token`,
        end_session_endpoint: `${origin}${base}/logout`,
        jwks_uri: `${origin}${base}/.well-known/jwks.json`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['none'],
        scopes_supported: ['openid'],
        claims_supported: ['sub', 'cognito:groups', 'custom:county', 'custom:township', 'custom:site', 'custom:institution'],
      });
    }
    // The public realm's keys are the API server's /.well-known/jwks.json.
    if (method === 'GET' && realm === 'staff' && path === '/.well-known/jwks.json') return json(res, 200, localJwks(localDir, 'staff'));

    if (path === '/oauth2/authorize' && method === 'GET') {
      const p = url.searchParams;
      const problem = checkClient(realm, origin, p);
      if (problem) return html(res, 400, page('登录请求无效', `<h1>登录请求无效</h1><p>${escapeHtml(problem)}</p>`));
      const session = sessions[realm].get(cookie(req, sessionCookie[realm]) ?? '');
      const remembered = session && accountsOf(realm).find((a) => a.id === session);
      if (remembered) return redirectWithCode(res, realm, remembered, p);
      const hidden = ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'code_challenge', 'code_challenge_method', 'nonce']
        .filter((k) => p.has(k))
        .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(p.get(k)!)}">`)
        .join('');
      const accounts = accountsOf(realm);
      const buttons = accounts.length
        ? accounts.map((a) => `<button type="submit" name="account" value="${escapeHtml(a.id)}">${escapeHtml(a.label)}<span>${escapeHtml(a.id)}</span></button>`).join('')
        : '<p>还没有演示账号：请稍候，演示数据生成后刷新本页。</p>';
      const text = pageText[realm];
      return html(res, 200, page(text.title, `<h1>${escapeHtml(text.title)}</h1>
<p class="note${realm === 'staff' ? ' warn' : ''}">${escapeHtml(text.note)}</p>
<form method="post" action="${base}/oauth2/authorize">${hidden}${buttons}</form>`));
    }

    if (path === '/oauth2/authorize' && method === 'POST') {
      const p = await readForm(req);
      const problem = checkClient(realm, origin, p);
      if (problem) return html(res, 400, page('登录请求无效', `<h1>登录请求无效</h1><p>${escapeHtml(problem)}</p>`));
      // Only the realm's own accounts: a staff account can't sign in at the families' realm.
      const account = accountsOf(realm).find((a) => a.id === p.get('account'));
      if (!account) return html(res, 400, page('账号不存在', '<h1>账号不存在</h1><p>请返回重新选择。</p>'));
      const sid = base64url(randomBytes(24));
      sessions[realm].set(sid, account.id);
      res.setHeader('set-cookie', `${sessionCookie[realm]}=${sid}; Path=${cookiePath}; HttpOnly; SameSite=Lax`);
      return redirectWithCode(res, realm, account, p);
    }

    if (path === '/logout' && method === 'GET') {
      sessions[realm].delete(cookie(req, sessionCookie[realm]) ?? '');
      const back = url.searchParams.get('post_logout_redirect_uri') ?? url.searchParams.get('logout_uri') ?? '/';
      const to = back.startsWith(`${origin}/`) || /^\/(?!\/)/.test(back) ? back : '/';
      res.writeHead(303, { location: to, 'set-cookie': `${sessionCookie[realm]}=; Path=${cookiePath}; Max-Age=0; HttpOnly; SameSite=Lax`, 'cache-control': 'no-store' });
      res.end();
      return true;
    }
    if (path === '/oauth2/token' && method === 'POST') return handleToken(req, res, realm);
    return false;
  };

  function redirectWithCode(res: ServerResponse, realm: Realm, account: LocalAccount, p: URLSearchParams): true {
    const code = base64url(randomBytes(32));
    const now = Date.now();
    for (const [k, v] of codes) if (v.expires < now) codes.delete(k);
    codes.set(code, {
      account,
      realm,
      clientId: localRealms[realm].audience,
      redirectUri: p.get('redirect_uri')!,
      codeChallenge: p.get('code_challenge')!,
      ...(p.get('nonce') && { nonce: p.get('nonce')! }),
      expires: now + CODE_TTL_MS,
    });
    const to = new URL(p.get('redirect_uri')!);
    to.searchParams.set('code', code);
    if (p.get('state')) to.searchParams.set('state', p.get('state')!);
    res.writeHead(303, { location: to.toString(), 'cache-control': 'no-store' });
    res.end();
    return true;
  }

  async function handleToken(req: IncomingMessage, res: ServerResponse, realm: Realm): Promise<boolean> {
    const p = await readForm(req);
    if (p.get('grant_type') !== 'authorization_code') return json(res, 400, { error: 'unsupported_grant_type' });
    const code = p.get('code') ?? '';
    const pending = codes.get(code);
    // Single use: the first exchange consumes the code, right or wrong.
    codes.delete(code);
    if (!pending || pending.expires < Date.now()) return json(res, 400, { error: 'invalid_grant', error_description: 'unknown, used or expired code' });
    // A code is redeemed at the realm that issued it, by its client, for its redirect.
    if (pending.realm !== realm || p.get('client_id') !== pending.clientId || p.get('redirect_uri') !== pending.redirectUri) return json(res, 400, { error: 'invalid_grant', error_description: 'realm, client or redirect_uri differs' });
    const verifier = p.get('code_verifier') ?? '';
    if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || base64url(createHash('sha256').update(verifier).digest()) !== pending.codeChallenge) {
      return json(res, 400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
    }
    const claims = { ...pending.account.claims, ttl: ID_TOKEN_TTL_S, realm };
    return json(res, 200, {
      token_type: 'Bearer',
      expires_in: ID_TOKEN_TTL_S,
      id_token: await signToken(localDir, { ...claims, ...(pending.nonce && { nonce: pending.nonce }) }),
      access_token: await signToken(localDir, { ...claims, tokenUse: 'access' }),
      scope: 'openid',
    });
  }
  return handle;
}
