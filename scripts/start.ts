/**
 * `npm start`: DynamoDB Local, tables, demo data and the API on http://localhost:3000.
 *   --in-memory     keep nothing between runs (default: data under .local/dynamodb)
 *   --port N        API port (default 3000, or PORT)
 *   --no-seed       start empty
 * PLATFORM_URL=https://...  deliver events to that platform instead of the reference receiver
 *                           (PLATFORM_DELIVERY_SECRET, whsec_..., signs them; default: the local key folder's)
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { signToken } from './local/keys.js';
import { defaultLocalDir } from './local/paths.js';
import { startLocalStack } from './local/stack.js';

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
console.log(`Starting DynamoDB Local (${values['in-memory'] ? 'in memory' : `data in ${join(localDir, 'dynamodb')}`})...`);
let stack;
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

// The registry is seeded first (about 20 s); meal sites, then institutions and beds, follow in
// the background while the API already serves, each announcing itself when it is ready.
const seed = values['no-seed'] ? undefined : await import('./local/seed.js');
let registry: Awaited<ReturnType<NonNullable<typeof seed>['seedRegistry']>> | undefined;
if (seed) {
  console.log('Seeding the demo county (社旗县, 411327)...');
  const seedStart = performance.now();
  const say = (line: string) => console.log(`  ${line}  (${((performance.now() - seedStart) / 1000).toFixed(0)} s)`);
  registry = await seed.seedRegistry({ progress: say });
  console.log(registry.skipped ? `  elders already seeded (${registry.elders}): skipped` : `  done: ${registry.elders} elders`);
}

// The no-show job runs every 15 minutes in AWS; here every minute, with the same code.
const { runNoShows } = await import('#functions/meals/no-shows.js');
setInterval(() => {
  runNoShows(new Date()).catch((e: Error) => console.error(`no-show job failed: ${e.message}`));
}, 60_000).unref();
// The daily occupancy snapshot: hourly here (a rerun overwrites the day's point).
const { snapshotOccupancy } = await import('#functions/beds/occupancy.js');
setInterval(() => {
  snapshotOccupancy(new Date()).catch((e: Error) => console.error(`snapshot job failed: ${e.message}`));
}, 3_600_000).unref();

const token = (req: Parameters<typeof signToken>[1]) => signToken(localDir, req);
console.log(`
Local API listening on ${stack.url}   (ready in ${((performance.now() - t0) / 1000).toFixed(1)} s)
  OpenAPI document: ${stack.url}/v1/openapi.json
  JWKS:             ${stack.url}/.well-known/jwks.json

Sample tokens (12 h; make more with: npm run -s token -- --role staff --township 411327101):
  staff (county):
    ${await token({ role: 'staff' })}
  staff (赊店镇 township):
    ${await token({ role: 'staff', sub: 'staff-township-demo', township: '411327100' })}
  family (family-demo):
    ${await token({ role: 'family', sub: 'family-demo' })}
  platform:
    ${await token({ role: 'platform' })}

Platform link: every change is relayed from the table streams and delivered, signed, to ${stack.platform?.receiver ? `the reference receiver at ${stack.platform?.receiver.url}
  (set PLATFORM_URL to deliver to a real platform); [platform] lines show what it verified and received.` : process.env.PLATFORM_URL}
  The same events as a feed:  curl -s -H "Authorization: Bearer $(npm run -s token -- --role platform)" ${stack.url}/v1/platform/events
${stack.platform?.receiver ? `  Play a platform outage:     curl -X PUT ${stack.platform?.receiver.url.replace(/\/webhooks$/, '')}/_mode -d '{"county":"411327","down":true}'   (false to end it)
` : ''}  Parked events (staff):      GET ${stack.url}/v1/platform/dead-letters, then POST ${stack.url}/v1/platform/dead-letters/replay

Try:
  TOKEN=$(npm run -s token -- --role staff)
  curl -s -H "Authorization: Bearer $TOKEN" ${stack.url}/v1/elders/${registry?.sampleElderId ?? '<elderId>'}
${registry ? `  curl -s -H "Authorization: Bearer $(npm run -s token -- --role family --sub family-demo)" ${stack.url}/v1/elders/${registry.familyElderIds[0]}\n` : ''}
Press Ctrl-C to stop (DynamoDB Local stops with it).`);

if (seed && registry) {
  const seedStart = performance.now();
  const say = (line: string) => console.log(`  [seeding] ${line}  (${((performance.now() - seedStart) / 1000).toFixed(0)} s)`);
  const reg = registry;
  void (async () => {
    const meals = await seed.seedMeals(reg, say);
    console.log(`
Meal sites ${meals.skipped ? 'already seeded' : 'seeded'}: ${meals.sites}. A site's token (npm run -s token -- --role site --site ${meals.siteId}) and calls to try:
  site (${meals.siteId}):
    ${await token({ role: 'site', site: meals.siteId })}
  curl -s -H "Authorization: Bearer $TOKEN" "${stack.url}/v1/meal-sites/${meals.siteId}/availability?date=$(TZ=Asia/Shanghai date -d tomorrow +%F)"
  curl -s -H "Authorization: Bearer $TOKEN" "${stack.url}/v1/reports/meals/daily?date=$(TZ=Asia/Shanghai date -d yesterday +%F)"`);
    const beds = await seed.seedBeds(say);
    await snapshotOccupancy(new Date());
    console.log(`
Institutions and beds ${beds.skipped ? 'already seeded' : 'seeded'}: ${beds.beds} beds. An institution's token (npm run -s token -- --role institution --institution ${beds.institutionId}) and calls to try:
  institution (${beds.institutionId}):
    ${await token({ role: 'institution', institution: beds.institutionId })}
  curl -s -H "Authorization: Bearer $TOKEN" "${stack.url}/v1/occupancy"
  curl -s -H "Authorization: Bearer $TOKEN" "${stack.url}/v1/vacancies?careType=nursing&tag=dementia_care"`);
  })().catch((e: Error) => {
    if (!stopping) console.error(`seeding failed: ${e.message}`);
  });
}

