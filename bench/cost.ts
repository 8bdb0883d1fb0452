/**
 * Money per 10,000 meals served, from the measured capacity units and handler times, at AWS's
 * on-demand prices. Prices: us-east-1, as ../shared/toolchain.md gives them for late 2026
 * (checked 2026-11-24); SQS FIFO is AWS's list price for FIFO requests (64 KB each).
 */
import type { CapacityRow } from './capacity.js';
import { round } from './lib.js';

export const prices = {
  asOf: '2026-11-24 (us-east-1, on demand)',
  dynamoWritePerMillion: 0.625,
  dynamoReadPerMillion: 0.125,
  apiGatewayHttpPerMillion: 1.0,
  lambdaRequestPerMillion: 0.2,
  lambdaGbSecondArm: 0.0000133334,
  sqsFifoPerMillion: 0.5,
};

export interface CostRow {
  scenario: string;
  dynamodb: number;
  apiGateway: number;
  lambda: number;
  sqs: number;
  total: number;
  withinTarget: string;
  assumptions: string;
}

const MEALS = 10_000;
const $ = (x: number) => round(x, 5);

export function moneyPer10kMeals(cap: CapacityRow[], handlerMs: { batchOf200: number; single: number; relayPerEvent: number; deliverPerEvent: number }): CostRow[] {
  const row = (prefix: string) => {
    const r = cap.find((c) => c.operation.startsWith(prefix));
    if (!r) throw new Error(`no capacity row "${prefix}"`);
    return r;
  };
  // What the bill follows: the service's rule for writes (Local counts 0 for Updates inside
  // transactions), and Local's read units.
  const units = (r: CapacityRow) => ({ w: Math.max(r.writeUnits, r.writeUnitsLocal), r: r.readUnits });
  const dynamo = (w: number, r: number) => (w * prices.dynamoWritePerMillion + r * prices.dynamoReadPerMillion) / 1e6;
  const lambda = (invocations: number, ms: number, memoryGb: number) => invocations * (prices.lambdaRequestPerMillion / 1e6 + Math.ceil(ms) / 1000 * memoryGb * prices.lambdaGbSecondArm);

  const batch = units(row('record a serving, per record in a batch of 200'));
  const single = units(row('record a subsidised serving'));
  const relay = units(row('platform link: relay'));
  const deliver = units(row('platform link: deliver'));

  const viaBatches = { dynamodb: dynamo(MEALS * batch.w, MEALS * batch.r), apiGateway: (MEALS / 200) * prices.apiGatewayHttpPerMillion / 1e6, lambda: lambda(MEALS / 200, handlerMs.batchOf200, 1), sqs: 0 };
  const oneByOne = { dynamodb: dynamo(MEALS * single.w, MEALS * single.r), apiGateway: MEALS * prices.apiGatewayHttpPerMillion / 1e6, lambda: lambda(MEALS, handlerMs.single, 1), sqs: 0 };
  // The platform link for the same meals: each serving is one event. The relay runs once per
  // stream batch (about 90 events); the deliverer once per 10 messages of (usually) 10 entities,
  // whose POSTs overlap (assumed 50 ms each), and writes the batch's delivery receipt (in the
  // capacity row). SQS: one send, one receive, one delete per 10.
  const link = {
    dynamodb: dynamo(MEALS * (relay.w + deliver.w), MEALS * (relay.r + deliver.r)),
    apiGateway: 0,
    lambda: lambda(MEALS / 90, handlerMs.relayPerEvent * 90, 1) + lambda(MEALS / 10, handlerMs.deliverPerEvent * 10 + 50, 0.25),
    sqs: (MEALS * 0.3 * prices.sqsFifoPerMillion) / 1e6,
  };
  const sum = (...parts: { dynamodb: number; apiGateway: number; lambda: number; sqs: number }[]) => ({
    dynamodb: parts.reduce((n, p) => n + p.dynamodb, 0), apiGateway: parts.reduce((n, p) => n + p.apiGateway, 0), lambda: parts.reduce((n, p) => n + p.lambda, 0), sqs: parts.reduce((n, p) => n + p.sqs, 0),
  });
  const out = (scenario: string, c: ReturnType<typeof sum>, assumptions: string, targetApplies = true): CostRow => {
    const total = c.dynamodb + c.apiGateway + c.lambda;
    return {
      scenario, dynamodb: $(c.dynamodb), apiGateway: $(c.apiGateway), lambda: $(c.lambda), sqs: $(c.sqs), total: $(total + c.sqs),
      withinTarget: targetApplies ? (total <= 0.05 ? `yes ($${$(total)} of $0.05)` : `no ($${$(total)} > $0.05)`) : '-',
      assumptions,
    };
  };
  return [
    out('servings uploaded in batches of 200 (tablets)', sum(viaBatches), `${batch.w} WCU + ${batch.r} RCU per meal; 50 requests, handler ${round(handlerMs.batchOf200)} ms each at 1 GB`),
    out('one serving per request (card readers online)', sum(oneByOne), `${single.w} WCU + ${single.r} RCU per meal; 10,000 requests, handler ${round(handlerMs.single)} ms each at 1 GB`),
    out('platform link for those meals (relay, queue, delivery)', sum(link), `${round(relay.w + deliver.w, 2)} WCU + ${round(relay.r + deliver.r, 2)} RCU per event (${round(deliver.w, 2)} WCU: delivery receipts); relay per ~90 events; deliverer per 10 (in parallel) at 256 MB, 50 ms per POST assumed`, false),
    out('batches of 200 + platform link', sum(viaBatches, link), 'the whole system for 10,000 meals from tablets'),
    out('one per request + platform link', sum(oneByOne, link), 'the whole system for 10,000 meals from online card readers'),
  ];
}
