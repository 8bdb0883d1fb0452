import { invokeJob, jobHandler, localWiring } from './jobs.js';

/**
 * The scheduled jobs of shared/jobs.ts on timers, as EventBridge runs them in AWS: each job's
 * own Lambda handler, every `localEveryMs` (shorter than in AWS, so a demo shows the effect).
 * The timers are unref'd: they never keep the process alive on their own.
 */
export async function startLocalSchedules(onError: (job: string, e: Error) => void): Promise<() => void> {
  const timers: NodeJS.Timeout[] = [];
  for (const w of localWiring()) {
    if (w.kind !== 'timer') continue;
    const handler = await jobHandler(w.job);
    const run = () => invokeJob(w.job, handler, {}).catch((e: Error) => onError(w.job, e));
    timers.push(setInterval(run, w.everyMs).unref());
  }
  return () => {
    for (const t of timers) clearInterval(t);
  };
}
