import { routes } from '#shared/routes/index.js';
import { handle } from '../../http/handle.js';
import { listServings as list } from '../servings.js';

export const listServings = handle(routes.listServings, async ({ params, query }, { principal }) => ({ status: 200, body: { items: await list(principal, params.siteId, query.date) } }));
