import { createHash } from 'node:crypto';

/**
 * JSON with every object's keys in code-unit order, at every depth, and no white space: two
 * bodies that carry the same JSON value give the same text whatever their key order or layout.
 * (RFC 8785's key order; numbers are written as JavaScript writes them, which is RFC 8785's
 * number form too.) `undefined` members are dropped, as JSON.stringify drops them.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * SHA-256 of a value's canonical JSON, base64url, cut to `bytes` bytes (16 by default: 128 bits,
 * far beyond any chance collision among one site's or one platform's ids). For comparing what a
 * client sent under a key it chose with what it sent before; it is no secret and must not be
 * taken over personal data a guesser could enumerate (fingerprint those first).
 */
export function contentDigest(value: unknown, bytes = 16): string {
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest().subarray(0, bytes).toString('base64url');
}
