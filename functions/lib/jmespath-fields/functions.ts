/**
 * `@aws-lambda-powertools/jmespath/functions` in the bundles (see ./index.ts): Powertools
 * Idempotency creates a `PowertoolsFunctions` for its options and compares configurations by its
 * class; field paths never call one, so the class has no functions.
 */
export class PowertoolsFunctions {}
