import { idempotency } from '../http/idempotency.js';
import { registryRoutes } from '#shared/routes/registry.js';
import { httpLambda } from '../http/lambda.js';
import { getElder } from './handlers/get-elder.js';
import { linkFamily } from './handlers/link-family.js';
import { myElders } from './handlers/my-elders.js';
import { lookupElder } from './handlers/lookup-elder.js';
import { putTownship } from './handlers/put-township.js';
import { registerElder } from './handlers/register-elder.js';
import { reportDeceased } from './handlers/report-deceased.js';
import { listElders } from './handlers/list-elders.js';
import { patchElder } from './handlers/patch-elder.js';
import { unlinkFamily } from './handlers/unlink-family.js';
import { elderAudit } from './handlers/elder-audit.js';
import { writeAuditLines } from '../lib/audit.js';
import { pageTokenKey } from '../lib/page-token-key.js';

/** Entry point of the registry function: elders, townships, family links. */
export const handler = httpLambda('registry', registryRoutes, {
  putTownship, registerElder, getElder, myElders, lookupElder, linkFamily, reportDeceased, listElders, patchElder, unlinkFamily, elderAudit,
}, idempotency, pageTokenKey, writeAuditLines);
