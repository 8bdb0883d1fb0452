import { search as jmespath } from '@aws-lambda-powertools/jmespath';
import { PowertoolsFunctions as RealFunctions } from '@aws-lambda-powertools/jmespath/functions';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PowertoolsFunctions } from '../../functions/lib/jmespath-fields/functions.js';
import { search } from '../../functions/lib/jmespath-fields/index.js';

// The bundles read Powertools Idempotency's two expressions with this module instead of the
// JMESPath package (infra/constructs/service-function.ts, bundleAliases): it must answer as the
// package does, or an Idempotency-Key would hash differently in AWS than in the tests.
const options = { customFunctions: new RealFunctions() };

describe('jmespath-fields', () => {
  it('answers as JMESPath for the fields functions/http/idempotency.ts reads, whatever the payload', () => {
    const json = fc.jsonValue();
    fc.assert(fc.property(fc.record({ key: json, body: json }, { requiredKeys: [] }), (payload) => {
      for (const path of ['key', 'body']) expect(search(path, payload)).toEqual(jmespath(path, payload as never, options));
    }));
  });

  it('answers as JMESPath for nested field paths, and null where a step is missing or not an object', () => {
    const data = { a: { b: { c: 1 }, list: [1, 2], nil: null, zero: 0, empty: '' } };
    for (const path of ['a', 'a.b', 'a.b.c', 'a.x', 'a.b.c.d', 'a.list', 'a.list.x', 'a.nil', 'a.nil.x', 'a.zero', 'a.empty', 'x.y']) {
      expect(search(path, data), path).toEqual(jmespath(path, data, options));
    }
    expect(search('a', 'text')).toBe(null);
  });

  it('refuses every expression beyond a field path, loudly, instead of reading something else', () => {
    for (const path of ['a[0]', 'a.*', 'powertools_json(body)', 'a || b', '"a"', '@', '', 'a.', 'a..b']) {
      expect(() => search(path, { a: 1 }), path).toThrow(/only JMESPath field paths/);
    }
  });

  it('offers the PowertoolsFunctions class Powertools Idempotency creates for its options', () => {
    expect(new PowertoolsFunctions()).toBeInstanceOf(PowertoolsFunctions);
  });
});
