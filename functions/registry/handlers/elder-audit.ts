import { registryRoutes as routes } from '#shared/routes/registry.js';
import { errors } from '#shared/http/errors.js';
import { handle } from '../../http/handle.js';
import { readAuditLines } from '../../lib/audit.js';
import * as store from '../store.js';

/** The audit trail of one elder: county staff of the elder's county only (the bureau's own audit). */
export const elderAudit = handle(routes.elderAudit, async ({ params }, { principal, page }) => {
  if (principal.township) throw errors.forbidden('The audit trail is read by county staff only.');
  const elder = await store.getElder(params.elderId);
  // Another county's elder is "not found", as everywhere.
  if (!elder || elder.county !== principal.county) throw errors.notFound('Elder');
  return { status: 200, body: page.reply(await readAuditLines(params.elderId, page)) };
});
