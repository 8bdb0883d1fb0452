/**
 * `npm start`: DynamoDB Local, tables, the web pages and the API on http://localhost:3000, then
 * the demo county seeded in the background (the pages show what is there so far).
 *   --in-memory     keep nothing between runs (default: data under .local/dynamodb)
 *   --port N        API port (default 3000, or PORT)
 *   --no-seed       start empty
 * PLATFORM_URL=https://...  deliver events to that platform instead of the reference receiver
 *                           (PLATFORM_DELIVERY_SECRET, whsec_..., signs them; default: the local key folder's)
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureWebBuilt } from './local/build-web.js';
import { demoAccounts, demoInstitutionAccount, demoSiteAccount } from './local/demo-accounts.js';
import { writeLocalAccounts } from './local/oidc.js';
import { defaultLocalDir } from './local/paths.js';
import { startLocalStack } from './local/stack.js';
import { startLocalSchedules } from './local/schedules.js';
import { ensureSystemPackages } from './local/system-deps.js';

const { values } = parseArgs({
  options: {
    'in-memory': { type: 'boolean', default: false },
    port: { type: 'string', default: process.env.PORT ?? '3000' },
    'no-seed': { type: 'boolean', default: false },
  },
});
const port = Number(values.port);
const localDir = defaultLocalDir();
const pidFile = join(localDir, 'server.pid');

function alreadyRunning(): { pid: number; url: string } | undefined {
  if (!existsSync(pidFile)) return undefined;
  const { pid, url } = JSON.parse(readFileSync(pidFile, 'utf8')) as { pid: number; url: string };
  try {
    process.kill(pid, 0);
    return { pid, url };
  } catch {
    return undefined; // stale file from a run that was killed
  }
}

const running = alreadyRunning();
if (running) {
  console.error(`The local API is already running (pid ${running.pid}) at ${running.url}. Stop it with Ctrl-C in its terminal, or: kill ${running.pid}`);
  process.exit(1);
}

const t0 = performance.now();
try {
  ensureSystemPackages(['java']);
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
// The web build (when web/ changed) runs while DynamoDB Local and the API start.
const webBuilt = ensureWebBuilt((line) => console.log(line)).then(
  (web) => web.built && console.log(`  web pages built in ${(web.ms / 1000).toFixed(1)} s`),
  (e: Error) => console.error(`The web pages did not build (the API works without them): ${e.message}`),
);
console.log(`Starting DynamoDB Local (${values['in-memory'] ? 'in memory' : `data in ${join(localDir, 'dynamodb')}`})...`);
let stack: Awaited<ReturnType<typeof startLocalStack>>;
try {
  stack = await startLocalStack({
    localDir,
    inMemory: values['in-memory'],
    apiPort: port,
    quiet: process.env.POWERTOOLS_LOG_LEVEL === undefined,
    ...(process.env.PLATFORM_URL && { platformUrl: process.env.PLATFORM_URL }),
    receiverPort: port + 1,
    log: (line) => console.log(line),
  });
} catch (e) {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'EADDRINUSE') console.error(`Port ${port} is in use by another program. Try: npm start -- --port ${port + 1}`);
  else console.error(`Could not start: ${err.message}`);
  process.exit(1);
}
writeFileSync(pidFile, JSON.stringify({ pid: process.pid, url: stack.url }));

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping the API and DynamoDB Local...');
  rmSync(pidFile, { force: true });
  await stack.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
// Ctrl-C during seeding cuts requests short: once stopping, their failures are expected.
const quietWhileStopping = (e: unknown) => {
  if (stopping) return;
  console.error(e);
  process.exit(1);
};
process.on('unhandledRejection', quietWhileStopping);
process.on('uncaughtException', quietWhileStopping);

// The scheduled jobs (no-shows, the occupancy snapshot), from shared/jobs.ts as in the stack,
// on shorter timers than in AWS, with the same handlers.
await startLocalSchedules((job, e) => console.error(`${job} job failed: ${e.message}`));
// The seeding below takes the day's occupancy point at once rather than waiting for the timer.
const { snapshotOccupancy } = await import('#functions/beds/occupancy.js');

writeLocalAccounts(localDir, 'demo', demoAccounts());
await webBuilt;
console.log(`
Ready in ${((performance.now() - t0) / 1000).toFixed(1)} s.

  Web pages:  ${stack.url}/
    Sign in with a demo account: the local sign-in pages list them as buttons (no password).
    家属、助餐点登录: the demo family (family-demo) books meals for its two elders, the meal site
    (site-demo) opens its counter. 工作人员登录 (the staff realm; no TOTP code asked locally):
    county staff (staff-demo) open the dashboard, township staff theirs, and the institution
    (institution-demo, once its beds are seeded) its bed board.
  API:        ${stack.url}/v1   (OpenAPI: ${stack.url}/v1/openapi.json)
  Tokens for curl:  TOKEN=$(npm run -s token -- --role staff)      (--role family --sub family-demo, ...)
    then: curl -s -H "Authorization: Bearer $TOKEN" ${stack.url}/v1/meal-sites
  Platform link: events are delivered, signed, to ${stack.platform?.receiver ? `the reference receiver at ${stack.platform.receiver.url} ([platform] lines)` : process.env.PLATFORM_URL}; README has the calls to try.

Press Ctrl-C to stop (DynamoDB Local stops with it).`);

if (!values['no-seed']) {
  const seed = await import('./local/seed.js');
  const seedStart = performance.now();
  const say = (line: string) => console.log(`  [seeding] ${line}  (${((performance.now() - seedStart) / 1000).toFixed(0)} s)`);
  void (async () => {
    console.log('Seeding the demo county (社旗县, 411327) in the background; the pages show what is there so far...');
    const registry = await seed.seedRegistry({
      progress: say,
      // Meal sites right after the demo family's elders, so the family can book within a minute.
      afterDemoFamily: async () => {
        const sites = await seed.seedMealSites(say);
        if (sites[0]) writeLocalAccounts(localDir, 'demo-site', [demoSiteAccount(sites[0].id)]);
      },
    });
    say(registry.skipped ? `elders already seeded (${registry.elders})` : `elders: ${registry.elders}`);
    const meals = await seed.seedMeals(registry, say);
    writeLocalAccounts(localDir, 'demo-site', [demoSiteAccount(meals.siteId)]);
    say(`meal sites ${meals.skipped ? 'already seeded' : 'seeded'}: ${meals.sites}, with tomorrow's bookings and yesterday's servings`);
    const beds = await seed.seedBeds(say);
    await snapshotOccupancy(new Date());
    writeLocalAccounts(localDir, 'demo-institution', [demoInstitutionAccount(beds.institutionId)]);
    say(`institutions and beds ${beds.skipped ? 'already seeded' : 'seeded'}: ${beds.beds} beds.`);
    const waiting = await seed.seedWaitingList(registry, say);
    say(`waiting list ${waiting.skipped ? 'already seeded' : 'seeded'}: ${waiting.applications} applications. The demo county is complete.`);
  })().catch((e: Error) => {
    if (!stopping) console.error(`seeding failed: ${e.message}`);
  });
}
