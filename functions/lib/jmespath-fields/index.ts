/**
 * The part of JMESPath this code base uses, for the Lambda bundles: field paths (`key`,
 * `body`, `a.b`). Powertools Idempotency imports `@aws-lambda-powertools/jmespath` (a whole
 * JMESPath interpreter, about 23 KB of every bundle with an Idempotency-Key route) to read
 * `eventKeyJmesPath` and `payloadValidationJmesPath`, which here are the plain fields `key` and
 * `body` (functions/http/idempotency.ts). The bundles alias that package to this module
 * (infra/constructs/service-function.ts); tests and `npm start` run the real package, and a unit
 * test holds the two to the same answers. Anything beyond a field path throws, so an
 * expression this module cannot read fails loudly instead of hashing the wrong thing.
 */
const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/**
 * `search(expression, data)` as JMESPath answers it for a field path: the value at the path, or
 * null when a step is missing or not an object. The options (custom functions) are unused: a
 * field path calls no function.
 */
export function search(expression: string, data: unknown, _options?: unknown): unknown {
  if (!FIELD_PATH.test(expression)) throw new Error(`only JMESPath field paths are bundled (functions/lib/jmespath-fields), not: ${expression}`);
  let value: unknown = data;
  for (const field of expression.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
    value = (value as Record<string, unknown>)[field];
    if (value === undefined) return null;
  }
  return value;
}
