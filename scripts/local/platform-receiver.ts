import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

/**
 * A small reference receiver for the smart elderly-care platform, for `npm start` and the
 * tests: it verifies each delivery's Standard Webhooks signature and timestamp with the
 * reference library, as the real platform should, drops a webhook-id it has seen, and keeps
 * what arrived per county. It can play an unreliable platform, per county:
 *   PUT /_mode    {"county": "411327", "failFirst": 2}   each event fails its first 2 attempts
 *                 {"county": "411327", "down": true}     everything fails (503) until set back
 *                 {"county": "411327", "delayMs": 300}   a slow platform: each answer takes 300 ms
 *   GET /_received?county=411327                          what arrived, in arrival order
 */
export interface ReceivedEvent {
  readonly id: string;
  readonly type: string;
  readonly county: string;
  readonly entity: string;
  readonly sequence: number;
  readonly occurredAt: string;
  readonly data: Record<string, unknown>;
}

export interface ReceiverMode {
  readonly failFirst?: number;
  readonly down?: boolean;
  /** Milliseconds before each answer. */
  readonly delayMs?: number;
}

interface CountyLog {
  mode: ReceiverMode;
  events: ReceivedEvent[];
  attempts: number;
  failed: number;
  duplicates: number;
  rejected: number;
  triesOf: Map<string, number>;
}

export interface PlatformReceiver {
  readonly url: string;
  /** Counties that asked for a mode: with a filter, the local pipeline relays only these. */
  watches(county: string): boolean;
  close(): Promise<void>;
}

export async function startPlatformReceiver(opts: { port: number; secret: string; log?: (line: string) => void; modes?: Readonly<Record<string, ReceiverMode>> }): Promise<PlatformReceiver> {
  const webhook = new Webhook(opts.secret);
  // What arrived, printed every five seconds: each event when few, a count per type when many
  // (the first `npm start` relays the whole seed).
  let arrived: ReceivedEvent[] = [];
  const flush = setInterval(() => {
    if (!arrived.length || !opts.log) return;
    if (arrived.length <= 5) for (const e of arrived) opts.log(`[platform] received #${e.sequence} ${e.type} ${e.entity} (signature verified)`);
    else {
      const byType = new Map<string, number>();
      for (const e of arrived) byType.set(e.type, (byType.get(e.type) ?? 0) + 1);
      opts.log(`[platform] received ${arrived.length} events, signatures verified: ${[...byType].map(([t, n]) => `${t} ×${n}`).join(', ')}`);
    }
    arrived = [];
  }, 5000);
  flush.unref();
  const counties = new Map<string, CountyLog>();
  const seen = new Set<string>();
  const logOf = (county: string): CountyLog => {
    let l = counties.get(county);
    if (!l) counties.set(county, (l = { mode: {}, events: [], attempts: 0, failed: 0, duplicates: 0, rejected: 0, triesOf: new Map() }));
    return l;
  };
  for (const [county, mode] of Object.entries(opts.modes ?? {})) logOf(county).mode = mode;
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'PUT' && url.pathname === '/_mode') {
      let parsed: { county: string } & ReceiverMode;
      try {
        parsed = JSON.parse(raw) as typeof parsed;
      } catch {
        return send(res, 400, { error: 'body is not valid JSON' });
      }
      const { county, ...mode } = parsed;
      logOf(county).mode = mode;
      return send(res, 200, { county, mode });
    }
    if (req.method === 'GET' && url.pathname === '/_received') {
      const l = logOf(url.searchParams.get('county') ?? '');
      return send(res, 200, { events: l.events, attempts: l.attempts, failed: l.failed, duplicates: l.duplicates, rejected: l.rejected });
    }
    if (req.method !== 'POST') return send(res, 404, { error: 'not found' });

    let event: ReceivedEvent;
    try {
      // Verified as bytes, parsed apart: a signed body that is not JSON is a 400, not a crash.
      webhook.verify(raw, {
        'webhook-id': String(req.headers['webhook-id'] ?? ''),
        'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
        'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
      }, { jsonParse: false });
    } catch (e) {
      if (!(e instanceof WebhookVerificationError)) throw e;
      opts.log?.(`[platform] rejected a delivery: ${e.message}`);
      const county = (() => { try { return String((JSON.parse(raw) as { county?: string }).county ?? ''); } catch { return ''; } })();
      logOf(county).rejected++;
      return send(res, 401, { error: e.message });
    }
    try {
      event = JSON.parse(raw) as ReceivedEvent;
    } catch {
      return send(res, 400, { error: 'body is not valid JSON' });
    }
    const l = logOf(event.county);
    if (l.mode.delayMs) await new Promise((r) => setTimeout(r, l.mode.delayMs));
    l.attempts++;
    const tries = (l.triesOf.get(event.id) ?? 0) + 1;
    l.triesOf.set(event.id, tries);
    if (l.mode.down || tries <= (l.mode.failFirst ?? 0)) {
      l.failed++;
      return send(res, 503, { error: 'platform unavailable (simulated)' });
    }
    if (seen.has(event.id)) {
      l.duplicates++;
      return send(res, 200, { status: 'duplicate' });
    }
    seen.add(event.id);
    l.events.push(event);
    arrived.push(event);
    return send(res, 200, { status: 'received' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    watches: (county) => counties.has(county),
    close: () => {
      clearInterval(flush);
      return new Promise((r) => server.close(() => r()));
    },
  };
}
