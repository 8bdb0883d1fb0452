import { bedApplicationRoutes as routes } from '#shared/routes/bed-applications.js';
import { handle } from '../../http/handle.js';
import { listQueue } from '../applications.js';

export const listApplications = handle(routes.listApplications, async ({ query }, { principal, now, page }) => {
  const { policyVersion, date, ...items } = await listQueue(principal, query, page, now);
  return { status: 200, body: { date, ...(policyVersion !== undefined && { policyVersion }), ...page.reply(items) } };
});
