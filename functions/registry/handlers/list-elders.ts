import { registryRoutes as routes } from '#shared/routes/registry.js';
import { handle } from '../../http/handle.js';
import { searchElders } from '../elders.js';

export const listElders = handle(routes.listElders, async ({ query }, { principal, page, now }) => ({ status: 200, body: page.reply(await searchElders(principal, query, page, now)) }));
