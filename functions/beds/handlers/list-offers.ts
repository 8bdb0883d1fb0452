import { offerRoutes as routes } from '#shared/routes/offers.js';
import { handle } from '../../http/handle.js';
import { listOffers as list } from '../offers.js';

export const listOffers = handle(routes.listOffers, async ({ query }, { principal, page }) => ({ status: 200, body: page.reply(await list(principal, query, page)) }));
