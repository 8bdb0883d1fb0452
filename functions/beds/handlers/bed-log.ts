import { bedRoutes as routes } from '#shared/routes/beds.js';
import { invert, page } from '#shared/pagination.js';
import { handle } from '../../http/handle.js';
import { changeLog } from '../institutions.js';

export const bedLog = handle(routes.bedLog, async ({ params, query }, { principal }) => {
  const { items, nextToken } = page(await changeLog(principal, params.institutionId), (e) => invert(e.sk), query);
  return { status: 200, body: { items: items.map(({ sk: _sk, ...entry }) => entry), ...(nextToken && { nextToken }) } };
});
