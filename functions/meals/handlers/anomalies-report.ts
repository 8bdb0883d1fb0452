import { routes } from '#shared/routes/index.js';
import { handle } from '../../http/handle.js';
import { monthlyAnomalies } from '../reports.js';

export const anomaliesReport = handle(routes.anomaliesReport, async ({ query }, { principal }) => ({ status: 200, body: await monthlyAnomalies(principal, query.month, query.township) }));
