import type { Context } from 'aws-lambda';
import { jobNames, jobs } from '#shared/jobs.js';
import { lambdaContext } from './lambda-context.js';

type JobHandler = (event: unknown, context: Context) => Promise<unknown>;

/**
 * The scheduled jobs of shared/jobs.ts on timers, as EventBridge runs them in AWS: each job's
 * own Lambda handler, every `localEveryMs` (shorter than in AWS, so a demo shows the effect).
 * The timers are unref'd: they never keep the process alive on their own.
 */
export async function startLocalSchedules(onError: (job: string, e: Error) => void): Promise<() => void> {
  const timers: NodeJS.Timeout[] = [];
  for (const name of jobNames) {
    const spec = jobs[name];
    if (spec.trigger.kind !== 'schedule') continue;
    const { handler } = (await import(`../../functions/${spec.entry}`)) as { handler: JobHandler };
    const run = () => handler({}, lambdaContext(name, spec.timeoutMinutes * 60_000)).catch((e: Error) => onError(name, e));
    timers.push(setInterval(run, spec.trigger.localEveryMs).unref());
  }
  return () => {
    for (const t of timers) clearInterval(t);
  };
}
