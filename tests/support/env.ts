import { join } from 'node:path';
import { inject } from 'vitest';
import { applyLocalEnv } from '../../scripts/local/env.js';

/** Points this test worker's function code at the run's DynamoDB Local, for jobs called in-process. */
export function useLocalEnv(): void {
  applyLocalEnv({ dynamoEndpoint: inject('dynamoEndpoint'), piiKeyFile: join(inject('localDir'), 'pii-keys.json'), quiet: true });
}
