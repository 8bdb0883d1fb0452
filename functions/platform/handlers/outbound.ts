import { platformRoutes as routes } from '#shared/routes/platform.js';
import { handle } from '../../http/handle.js';
import { listDeadLetters, readFeed, readReconciliation, replayDeadLetters } from '../outbound.js';

export const eventFeed = handle(routes.eventFeed, async ({ query }, { principal }) => ({
  status: 200,
  body: await readFeed(principal, query.after === undefined ? 0 : Number(query.after), query.limit),
}));

export const reconciliation = handle(routes.reconciliation, async ({ query }, { principal }) => ({ status: 200, body: await readReconciliation(principal, query.date) }));

export const listDeadLettersHandler = handle(routes.listDeadLetters, async (_input, { principal, page }) => ({ status: 200, body: page.reply(await listDeadLetters(principal, page)) }));

export const replayDeadLettersHandler = handle(routes.replayDeadLetters, async ({ body }, { principal, now }) => ({ status: 200, body: await replayDeadLetters(principal, body.limit, now) }));
