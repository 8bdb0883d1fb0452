import { bedRoutes as routes } from '#shared/routes/beds.js';
import { handle } from '../../http/handle.js';
import { listInstitutions as list } from '../institutions.js';

export const listInstitutions = handle(routes.listInstitutions, async ({ query }, { principal, page }) => ({ status: 200, body: page.reply(await list(principal, query, page)) }));
