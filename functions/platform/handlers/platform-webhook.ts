import { platformRoutes as routes } from '#shared/routes/platform.js';
import { handle } from '../../http/handle.js';
import { receiveWebhook } from '../inbound.js';

export const platformWebhook = handle(routes.platformWebhook, async (_input, { rawBody, headers, now }) => ({
  status: 200,
  body: await receiveWebhook(rawBody, headers, now),
}));
