import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { platformRetryEnvironment } from '../../shared/platform-retry.js';
import type { TestProject } from 'vitest/node';
import { ensureWebBuilt } from '../../scripts/local/build-web.js';
import { startLocalStack } from '../../scripts/local/stack.js';
import { ensureSystemPackages } from '../../scripts/local/system-deps.js';

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
    localDir: string;
    dynamoEndpoint: string;
    /** The reference platform receiver, whose /_mode and /_received the delivery tests use. */
    platformReceiverUrl: string;
  }
}

/**
 * One DynamoDB Local (in memory, free port) and one local API server for the whole run,
 * exactly as `npm start` builds them, serving the built web pages too (built here when web/
 * changed). Test files isolate themselves by using their own county. Java, Chromium and CJK
 * fonts are installed first when missing (as root), or the run stops with the command to run.
 */
export default async function setup(project: TestProject) {
  ensureSystemPackages(['java', 'chromium', 'cjkFonts']);
  const web = ensureWebBuilt((line) => console.log(line));
  const localDir = mkdtempSync(join(tmpdir(), 'eldercare-test-'));
  // Delivery retries in tens of milliseconds instead of AWS's 30 s and up, and few attempts, so
  // the tests see retries, parking and replays within seconds.
  Object.assign(process.env, platformRetryEnvironment({ baseSeconds: 0.05, capSeconds: 0.2, maxAttempts: 4 }));
  const stack = await startLocalStack({ localDir, inMemory: true, apiPort: 0, quiet: true, platformOnlyWatchedCounties: true });
  await web;
  project.provide('apiUrl', stack.url);
  project.provide('localDir', localDir);
  project.provide('dynamoEndpoint', stack.dynamo.endpoint);
  project.provide('platformReceiverUrl', stack.platform!.receiver!.url.replace(/\/webhooks$/, ''));
  return async () => {
    await stack.close();
    rmSync(localDir, { recursive: true, force: true });
  };
}
