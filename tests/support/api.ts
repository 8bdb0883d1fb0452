import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { DEMO_COUNTY } from '../../scripts/local/demo.js';
import { signToken, type TokenRequest } from '../../scripts/local/keys.js';
import { checkCharacter } from '../../shared/id-number.js';
import { ContractValidator } from './contract.js';

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * Calls the local API over HTTP, as an outside client would. Every answer is checked against
 * the served OpenAPI document (status and shape); one that breaks it fails the test.
 */
export async function api<T = any>(method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {}): Promise<Reply<T>> {
  const res = await fetch(`${inject('apiUrl')}${path}`, {
    method,
    headers: {
      ...(opts.token && { authorization: `Bearer ${opts.token}` }),
      ...((opts.body !== undefined || opts.raw !== undefined) && { 'content-type': 'application/json' }),
      ...opts.headers,
    },
    ...((opts.body !== undefined || opts.raw !== undefined) && { body: opts.raw ?? JSON.stringify(opts.body) }),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  const problems = (await contract()).check({ method, path, status: res.status, contentType: res.headers.get('content-type'), body });
  if (problems.length) throw new Error(`The answer breaks the OpenAPI document:\n${problems.join('\n')}`);
  return { status: res.status, body: body as T, headers: res.headers };
}

let validator: Promise<ContractValidator> | undefined;
/** The validator built from the document the running service serves, once per test worker. */
export function contract(): Promise<ContractValidator> {
  validator ??= fetch(`${inject('apiUrl')}/v1/openapi.json`).then(async (r) => new ContractValidator((await r.json()) as Record<string, any>));
  return validator;
}

export const token = (req: TokenRequest): Promise<string> => signToken(inject('localDir'), req);

/**
 * A county code of its own for each fixture, so files running in parallel never meet. Codes are
 * claimed for the whole run with a file each in the run's local folder (exclusive create): a
 * random pick alone met another file's county about once in four runs at 70 fixtures. The demo
 * county is never given out.
 */
export function uniqueCounty(): string {
  const dir = join(inject('localDir'), 'test-counties');
  mkdirSync(dir, { recursive: true });
  for (;;) {
    const code = `41${String(1000 + Math.floor(Math.random() * 8999)).padStart(4, '0')}`;
    if (code === DEMO_COUNTY) continue;
    try {
      closeSync(openSync(join(dir, code), 'wx'));
      return code;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

let seq = Math.floor(Math.random() * 400);
/** A valid, unique-enough resident ID number born in the given county's area. */
export function newIdNumber(county = '411327', birth = '19450312', male = true): string {
  seq = (seq + 1) % 500;
  const y = 1930 + Math.floor(Math.random() * 30);
  const date = birth === '19450312' ? `${y}${String(1 + Math.floor(Math.random() * 12)).padStart(2, '0')}${String(1 + Math.floor(Math.random() * 28)).padStart(2, '0')}` : birth;
  const first17 = `${county}${date}${String(seq * 2 + (male ? 1 : 0)).padStart(3, '0')}`;
  return first17 + checkCharacter(first17);
}

/** County staff, a township, and helpers to register elders in it. */
export async function countyFixture(county = uniqueCounty()) {
  const township = `${county}101`;
  const otherTownship = `${county}102`;
  const staff = await token({ role: 'staff', sub: `staff-${county}`, county });
  for (const [code, name] of [[township, '城关镇'], [otherTownship, '东关镇']] as const) {
    const r = await api('PUT', `/v1/townships/${code}`, { token: staff, body: { name, elderlyPopulation: 5000 } });
    if (r.status !== 200) throw new Error(`township setup failed: ${r.status} ${JSON.stringify(r.body)}`);
  }
  const register = async (overrides: Record<string, unknown> = {}) => {
    const r = await api('POST', '/v1/elders', {
      token: staff,
      body: { idNumber: newIdNumber(county), name: '王秀英', township, categories: ['living_alone'], ...overrides },
    });
    if (r.status !== 201) throw new Error(`register failed: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as { id: string; [k: string]: unknown };
  };
  return { county, township, otherTownship, staff, register };
}
