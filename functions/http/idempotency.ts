import { IdempotencyAlreadyInProgressError, IdempotencyConfig, IdempotencyValidationError, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { errors, type AppError } from '#shared/http/errors.js';
import { config } from '../lib/config.js';
import { dynamoClient } from '../lib/dynamo.js';

/** What the HTTP wrapper needs for `Idempotency-Key`; only functions with create routes import this module. */
export interface IdempotencyPort {
  run(context: Context, key: string, body: unknown, call: () => Promise<unknown>): Promise<unknown>;
  toAppError(e: unknown): AppError | undefined;
}

/**
 * Idempotency-Key support via Powertools: the key is scoped to the route and the caller, and
 * the body is the payload checked on reuse (same key, other body: 409). Replays return the
 * stored response with an `idempotent-replayed` header.
 */
let idempotencyConfig: IdempotencyConfig | undefined;
let idempotentRun: ((payload: { key: string; body: unknown }, run: () => Promise<unknown>) => Promise<unknown>) | undefined;
function idempotent() {
  if (!idempotentRun) {
    idempotencyConfig = new IdempotencyConfig({
      eventKeyJmesPath: 'key',
      payloadValidationJmesPath: 'body',
      expiresAfterSeconds: 24 * 60 * 60,
      responseHook: (response) => ({ ...(response as object), replayed: true }),
    });
    const persistenceStore = new DynamoDBPersistenceLayer({ tableName: config.tableName('idempotency'), awsSdkV3Client: dynamoClient() });
    idempotentRun = makeIdempotent(async (_payload: { key: string; body: unknown }, run: () => Promise<unknown>) => run(), {
      persistenceStore,
      config: idempotencyConfig,
    });
  }
  return { run: idempotentRun, config: idempotencyConfig! };
}


export const idempotency: IdempotencyPort = {
  async run(context, key, body, call) {
    const idem = idempotent();
    idem.config.registerLambdaContext(context);
    return idem.run({ key, body }, call);
  },
  toAppError(e) {
    if (e instanceof IdempotencyValidationError) {
      return errors.rule('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request body.');
    }
    if (e instanceof IdempotencyAlreadyInProgressError) {
      return errors.rule('IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed; retry shortly.');
    }
    return undefined;
  },
};
