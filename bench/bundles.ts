/**
 * Bundles and their cold-start proxy. The bundles are the ones `cdk synth` makes for the stack
 * (esbuild, ESM, minified), read from the synthesized assets; the floor is an empty handler
 * bundled with the same esbuild options. For each, at least 10 fresh Node.js processes import
 * the bundle and run one invocation; the median is reported.
 */
import { globalSynthEnv } from '../infra/app.js';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { esmRequireBanner, lazySdkImports } from '../infra/constructs/service-function.js';
import { median, round } from './lib.js';

export interface BundleRow {
  function: string;
  minifiedKB: number;
  gzippedKB: number;
  importMs: number;
  firstInvokeMs: number;
  processMs: number;
  vsEmpty: number;
  /** Against the SDK-only floor (one GetItem): what this function's own code adds to the fixed stack's price. */
  vsSdkFloor: number;
}

/** A first invocation per function: a real request that reads DynamoDB, or an empty batch for stream and queue consumers. */
const firstEvent = (logicalId: string): unknown => {
  const http = (routeKey: string, path: string, pathParameters: Record<string, string> = {}) => ({
    version: '2.0', routeKey, rawPath: path, rawQueryString: '', headers: { host: 'bench' }, pathParameters, isBase64Encoded: false,
    requestContext: {
      accountId: 'bench', apiId: 'bench', domainName: 'bench', domainPrefix: 'bench', requestId: 'r1', routeKey, stage: '$default', time: '', timeEpoch: Date.now(),
      http: { method: routeKey.split(' ')[0], path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      authorizer: { jwt: { claims: { sub: 'bench', 'cognito:groups': '[staff]', 'custom:county': '411327' }, scopes: [] } },
    },
  });
  if (logicalId.startsWith('System')) return http('GET /v1/openapi.json', '/v1/openapi.json');
  if (logicalId.startsWith('Health')) return http('GET /v1/health', '/v1/health');
  if (logicalId.startsWith('Registry')) return http('GET /v1/elders/{elderId}', '/v1/elders/eld_bench', { elderId: 'eld_bench' });
  if (logicalId.startsWith('Meals')) return http('GET /v1/meal-sites/{siteId}', '/v1/meal-sites/site_bench', { siteId: 'site_bench' });
  if (logicalId.startsWith('Beds')) return http('GET /v1/institutions/{institutionId}/beds', '/v1/institutions/inst_bench/beds', { institutionId: 'inst_bench' });
  if (logicalId.startsWith('MealReports')) return { ...http('GET /v1/reports/meals/daily', '/v1/reports/meals/daily'), queryStringParameters: { date: '2026-11-24' }, rawQueryString: 'date=2026-11-24' };
  if (logicalId.startsWith('PlatformFeed')) {
    const e = http('GET /v1/platform/events', '/v1/platform/events');
    return { ...e, requestContext: { ...e.requestContext, authorizer: { jwt: { claims: { sub: 'p', 'cognito:groups': '[platform]', 'custom:county': '411327' }, scopes: [] } } } };
  }
  // An unsigned webhook: verified (and refused) without touching a table.
  if (logicalId.startsWith('PlatformFunction')) return { ...http('POST /v1/platform/webhooks', '/v1/platform/webhooks'), body: '{"type":"elder.updated"}', headers: { 'content-type': 'application/json' } };
  // A request with no token: refused before any key set is fetched (no network).
  if (logicalId.startsWith('Authorizer')) return { version: '2.0', type: 'REQUEST', routeKey: 'GET /v1/occupancy', headers: {}, identitySource: [] };
  if (logicalId.startsWith('NoShows') || logicalId.startsWith('OccupancySnapshot') || logicalId.startsWith('WaitingList')) return {};
  return { Records: [] };
};

const RUNNER = `
const started = performance.now();
const mod = await import(process.argv[2]);
const imported = performance.now();
const event = JSON.parse(process.argv[3]);
const context = { awsRequestId: 'r1', functionName: 'bench', functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:bench:0:function:bench', memoryLimitInMB: '1024', logGroupName: 'bench', logStreamName: 'bench', callbackWaitsForEmptyEventLoop: false, getRemainingTimeInMillis: () => 10000, done() {}, fail() {}, succeed() {} };
await mod.handler(event, context);
const done = performance.now();
process.stderr.write('BENCH ' + JSON.stringify({ importMs: imported - started, invokeMs: done - imported, processMs: done }) + '\\n');
process.exit(0);
`;

async function coldStart(bundle: string, event: unknown, env: NodeJS.ProcessEnv, runs: number, runner: string) {
  const samples: { importMs: number; invokeMs: number; processMs: number }[] = [];
  for (let i = 0; i < runs; i++) {
    const line = await new Promise<string>((resolve, reject) => {
      // As Lambda runs them: source maps enabled (the stack sets NODE_OPTIONS so).
      const child = spawn(process.execPath, ['--enable-source-maps', runner, bundle, JSON.stringify(event)], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('exit', (code) => {
        const m = err.match(/BENCH (\{.*\})/);
        if (code === 0 && m) resolve(m[1]!);
        else reject(new Error(`${bundle} exited ${code}: ${err.slice(0, 500)}`));
      });
    });
    samples.push(JSON.parse(line));
  }
  return { importMs: median(samples.map((s) => s.importMs)), invokeMs: median(samples.map((s) => s.invokeMs)), processMs: median(samples.map((s) => s.processMs)) };
}

export async function benchBundles(opts: { root: string; env: NodeJS.ProcessEnv; runs: number }): Promise<BundleRow[]> {
  const out = mkdtempSync(join(tmpdir(), 'eldercare-synth-'));
  try {
    try {
      execFileSync(join(opts.root, 'node_modules', '.bin', 'cdk'), ['synth', '--quiet', '-o', out], { cwd: opts.root, env: globalSynthEnv(process.env), stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (e) {
      throw new Error(`cdk synth failed: ${String((e as { stderr?: Buffer }).stderr ?? e).slice(-2000)}`);
    }
    const template = JSON.parse(readFileSync(join(out, 'Eldercare.template.json'), 'utf8')) as { Resources: Record<string, { Type: string; Metadata?: Record<string, string> }> };
    const fns = Object.entries(template.Resources)
      // Our functions only: CDK's BucketDeployment function (Python, copies the web pages) is not one.
      .filter(([, r]) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.['aws:asset:path'] && !String((r as { Properties?: { Runtime?: string } }).Properties?.Runtime).startsWith('python'))
      .map(([id, r]) => ({ name: id.replace(/[0-9A-F]{8}$/, ''), id, bundle: join(out, r.Metadata!['aws:asset:path']!, 'index.mjs') }));

    // The floor: an empty handler, bundled as CDK bundles ours (infra/constructs/service-function.ts).
    // And a second reference: a handler that only reads one DynamoDB item with the SDK, the
    // least any function here does, to show how much of a cold start is the SDK's own.
    const bundleRef = async (name: string, source: string) => {
      const src = join(out, `${name}.ts`);
      writeFileSync(src, source);
      const bundle = join(out, name, 'index.mjs');
      await build({
        entryPoints: [src], outfile: bundle, bundle: true, platform: 'node', format: 'esm', target: 'node22', minify: true, sourcemap: true, sourcesContent: false,
        mainFields: ['module', 'main'], banner: { js: esmRequireBanner }, logLevel: 'silent',
        external: [...lazySdkImports], nodePaths: [join(opts.root, 'node_modules')],
      });
      return bundle;
    };
    const emptyBundle = await bundleRef('empty', 'export const handler = async () => ({ statusCode: 200, body: "" });\n');
    const sdkBundle = await bundleRef('sdk-get-item', [
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';",
      'const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));',
      'export const handler = async () => ({ statusCode: (await db.send(new GetCommand({ TableName: process.env.MEALS_TABLE, Key: { pk: "x", sk: "y" } }))).Item ? 200 : 404 });',
    ].join('\n'));
    const runner = join(out, 'runner.mjs');
    writeFileSync(runner, RUNNER);

    const floor = await coldStart(emptyBundle, {}, opts.env, opts.runs, runner);
    const sdkFloor = await coldStart(sdkBundle, {}, opts.env, opts.runs, runner);
    const rows: BundleRow[] = [];
    const row = (name: string, bundle: string, t: typeof floor): BundleRow => ({
      function: name,
      minifiedKB: round(statSync(bundle).size / 1024),
      gzippedKB: round(gzipSync(readFileSync(bundle)).length / 1024),
      importMs: round(t.importMs),
      firstInvokeMs: round(t.invokeMs),
      processMs: round(t.processMs),
      vsEmpty: round(t.processMs / floor.processMs, 2),
      vsSdkFloor: round(t.processMs / sdkFloor.processMs, 2),
    });
    rows.push(row('(empty handler: the floor)', emptyBundle, floor));
    rows.push(row('(SDK only: one GetItem)', sdkBundle, sdkFloor));
    // The authorizer reads its two issuers from the environment the stack gives it; any will do here.
    const issuers = Object.fromEntries(['PUBLIC', 'STAFF'].flatMap((r) => [[`OIDC_${r}_ISSUER`, `https://idp.bench/${r.toLowerCase()}`], [`OIDC_${r}_JWKS_URI`, `https://idp.bench/${r.toLowerCase()}/jwks`], [`OIDC_${r}_AUDIENCE`, 'bench']]));
    for (const f of fns) rows.push(row(f.name, f.bundle, await coldStart(f.bundle, firstEvent(f.id), f.id.startsWith('Authorizer') ? { ...opts.env, ...issuers } : opts.env, opts.runs, runner)));
    return rows;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
