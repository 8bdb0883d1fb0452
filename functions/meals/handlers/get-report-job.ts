import { mealReportRoutes as routes } from '#shared/routes/meal-reports.js';
import { handle } from '../../http/handle.js';
import { readReportJob } from '../report-jobs.js';

export const getReportJob = handle(routes.getReportJob, async ({ params }, { principal, now }) => {
  const job = await readReportJob(principal, params.reportId, now);
  return job.status === 202 ? { status: 202, body: job.body, headers: { 'retry-after': '5' } } : { status: 200, body: job.body };
});
