import { join } from 'node:path';
import { inject } from 'vitest';
import { applyLocalEnv } from '../../scripts/local/env.js';
import { localPlatformSecret } from '../../scripts/local/keys.js';

/** Points this test worker's function code at the run's DynamoDB Local, for jobs called in-process. */
export function useLocalEnv(): void {
  applyLocalEnv({ dynamoEndpoint: inject('dynamoEndpoint'), piiKeyFile: join(inject('localDir'), 'pii-keys.json'), pageTokenKeyFile: join(inject('localDir'), 'page-token-key.json'), platformSecret: localPlatformSecret(inject('localDir')), deliverySecret: localPlatformSecret(inject('localDir'), 'outbound'), quiet: true });
}
