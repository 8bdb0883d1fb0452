import { signToken, type TokenRequest } from '../scripts/local/keys.js';
import type { Principal } from '../shared/auth/principal.js';

/** What the benchmarks share for driving the local HTTP server. */
export interface Timing { route: string; handlerMs: number; totalMs: number }

export interface HttpBench {
  readonly url: string;
  readonly localDir: string;
  /** Filled by the local server's onTiming hook: handler time against time in the server. */
  readonly timings: Timing[];
}

export async function call(b: HttpBench, method: string, path: string, token: string, body?: unknown): Promise<{ status: number; ms: number; body: any }> {
  const started = performance.now();
  const res = await fetch(`${b.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, ms: performance.now() - started, body: text ? JSON.parse(text) : undefined };
}

export const tokenFor = (b: HttpBench, req: TokenRequest) => signToken(b.localDir, req);

/** Registers `n` elders in a township through the use case (fast, in-process), `concurrency` at a time. */
export async function registerElders(staff: Principal, township: string, n: number, seqFrom: number): Promise<string[]> {
  const { registerElder } = await import('../functions/registry/elders.js');
  const { demoIdNumber } = await import('../scripts/local/seed.js');
  const ids: string[] = new Array(n);
  let next = 0;
  const now = new Date();
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (next < n) {
      const i = next++;
      // Unique for every k: the birth date moves on every 500 sequence numbers.
      const k = seqFrom + i;
      const birth = new Date(Date.UTC(1935, 0, 1) + Math.floor(k / 500) * 86_400_000);
      ids[i] = (await registerElder(staff, { idNumber: demoIdNumber(birth, k % 500, i % 2 === 0), name: '测试', township, categories: i % 5 === 0 ? ['dibao'] : [], dietaryNeeds: [] }, now)).id;
    }
  }));
  return ids;
}

export const cst = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
