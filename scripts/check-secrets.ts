/**
 * After a deploy, with AWS credentials of the account: reads the platform's two webhook secrets
 * from Secrets Manager and fails unless each holds a `whsec_` secret (one, or "new old" during a
 * rotation), as the functions read them (functions/platform/webhook-secret.ts). Prints only
 * verdicts, never a value.
 *
 *   npm run check-secrets -- --outputs cdk-outputs.json     (cdk deploy --outputs-file cdk-outputs.json)
 *   npm run check-secrets -- ARN_OR_NAME [ARN_OR_NAME]
 *
 * Exit 0 when both are usable, 1 when one is not (or can't be read), 2 on bad usage.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { checkWebhookSecrets, secretIdsFromOutputs } from './secrets-check.js';

const { values, positionals } = parseArgs({ options: { outputs: { type: 'string' }, stack: { type: 'string', default: 'Eldercare' } }, allowPositionals: true });
const ids = values.outputs ? secretIdsFromOutputs(JSON.parse(readFileSync(values.outputs, 'utf8')), values.stack!) : positionals;
if (!ids.length) {
  console.error('usage: npm run check-secrets -- --outputs cdk-outputs.json [--stack Eldercare] | ARN_OR_NAME...');
  process.exit(2);
}
const client = new SecretsManagerClient({});
const results = await checkWebhookSecrets(ids, async (id) => (await client.send(new GetSecretValueCommand({ SecretId: id }))).SecretString ?? '');
for (const r of results) console.log(`${r.ok ? 'OK  ' : 'FAIL'} ${r.id}: ${r.message}`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
