import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalStack } from '../../scripts/local/stack.js';

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
    localDir: string;
    dynamoEndpoint: string;
  }
}

/**
 * One DynamoDB Local (in memory, free port) and one local API server for the whole run,
 * exactly as `npm start` builds them. Test files isolate themselves by using their own county.
 */
export default async function setup(project: TestProject) {
  const localDir = mkdtempSync(join(tmpdir(), 'eldercare-test-'));
  const stack = await startLocalStack({ localDir, inMemory: true, apiPort: 0, quiet: true });
  project.provide('apiUrl', stack.url);
  project.provide('localDir', localDir);
  project.provide('dynamoEndpoint', stack.dynamo.endpoint);
  return async () => {
    await stack.close();
    rmSync(localDir, { recursive: true, force: true });
  };
}
