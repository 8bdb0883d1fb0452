import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { realms, type Realm } from '#shared/auth/realms.js';
import { localRealms } from './keys.js';
import { localOidcProvider, realmPath } from './oidc.js';
import { contentSecurityPolicy } from '#shared/web-security.js';
import { projectRoot } from './paths.js';

/**
 * The web pages on the API's origin, as CloudFront serves them in AWS: files of `web/dist`,
 * the runtime configuration at `/config.json` (here made for the origin the browser used; in
 * AWS a file deployed beside the pages), and index.html for page routes (paths without a file
 * extension), never for /v1. The local OIDC provider answers first.
 */
export const webDistDir = join(projectRoot, 'web', 'dist');

/** The security headers CloudFront's response-headers policy sets in AWS (infra/constructs/web-distribution.ts). */
export const pageSecurityHeaders = (connectSrc: readonly string[] = []): Record<string, string> => ({
  'content-security-policy': contentSecurityPolicy(connectSrc),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
});

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
};

/** What the page's sign-in code reads at start: per realm, which OIDC provider, which client (web/src/auth.ts RuntimeConfig). */
export const localRuntimeConfig = (origin: string) => ({
  oidc: Object.fromEntries(realms.map((realm) => [realm, {
    authority: `${origin}${realmPath[realm]}`,
    clientId: localRealms[realm].audience,
    redirectUri: `${origin}/auth/callback`,
    postLogoutRedirectUri: `${origin}/`,
    scope: 'openid',
  }])) as Record<Realm, { authority: string; clientId: string; redirectUri: string; postLogoutRedirectUri: string; scope: string }>,
});

export function localWebHandler(localDir: string, distDir = webDistDir) {
  const oidc = localOidcProvider(localDir);
  const sendFile = (req: IncomingMessage, res: ServerResponse, file: string, cache: string) => {
    res.writeHead(200, {
      'content-type': types[extname(file)] ?? 'application/octet-stream',
      'content-length': String(statSync(file).size),
      'cache-control': cache,
      ...pageSecurityHeaders(),
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  };

  return async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    if (await oidc(req, res, url)) return true;
    const method = (req.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && method !== 'HEAD') return false;
    if (url.pathname === '/config.json') {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify(localRuntimeConfig(`http://${req.headers.host ?? 'localhost'}`)));
      return true;
    }
    let path: string;
    try {
      path = normalize(decodeURIComponent(url.pathname));
    } catch {
      return false;
    }
    const file = join(distDir, path);
    if (!file.startsWith(distDir + sep) && file !== distDir) return false;
    if (existsSync(file) && statSync(file).isFile()) {
      // Hashed file names under assets/ never change; everything else is checked each time.
      sendFile(req, res, file, path.startsWith(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      return true;
    }
    // Page routes (no extension) get the app; a missing asset stays a 404.
    if (extname(path) !== '') return false;
    const index = join(distDir, 'index.html');
    if (!existsSync(index)) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('网页尚未构建。The web pages are not built yet: npm run build:web\n');
      return true;
    }
    sendFile(req, res, index, 'no-cache');
    return true;
  };
}
