/**
 * The pages' content security policy, one text for CloudFront's response-headers policy and the
 * local server, so the browser tests run under the policy production sends. Scripts, styles and
 * data from the page's own origin only, no inline code, no framing; `connectSrc` adds the
 * identity provider's origins the sign-in calls (token endpoint, JWKS). The counter's service
 * worker and manifest come from the same origin (worker-src, manifest-src).
 */
export const contentSecurityPolicy = (connectSrc: readonly string[] = []): string =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    ['connect-src', "'self'", ...connectSrc].join(' '),
    "font-src 'self'",
    // The counter's service worker (sw.js and the Workbox runtime it imports) and its web manifest.
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
