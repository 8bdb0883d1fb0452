import { bedRoutes as routes } from '#shared/routes/beds.js';
import { handle } from '../../http/handle.js';
import { changeLog } from '../institutions.js';

export const bedLog = handle(routes.bedLog, async ({ params }, { principal, page }) => ({ status: 200, body: page.reply(await changeLog(principal, params.institutionId, page)) }));
