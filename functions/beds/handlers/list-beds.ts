import { bedRoutes as routes } from '#shared/routes/beds.js';
import { handle } from '../../http/handle.js';
import { bedsPage } from '../institutions.js';

export const listBeds = handle(routes.listBeds, async ({ params, query }, { principal, page }) => ({ status: 200, body: page.reply(await bedsPage(principal, params.institutionId, query.status, page)) }));
