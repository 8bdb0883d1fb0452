import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { projectRoot } from './paths.js';

/**
 * Builds web/dist when its sources changed since the last build: a hash of every source the
 * bundle can include (web/, shared/, the subsidy rules the booking page quotes with, the lock
 * file) is kept in web/dist/.build-stamp. About 5 s on 2 cores when needed, nothing otherwise.
 */
const sources = ['web', 'shared', 'functions/meals/domain/subsidy.ts', 'functions/meals/domain/slot-time.ts', 'package-lock.json'];

function* files(path: string): Generator<string> {
  const st = statSync(path);
  if (st.isFile()) {
    yield path;
    return;
  }
  for (const name of readdirSync(path).sort()) {
    if (name === 'dist' || name === 'node_modules') continue;
    yield* files(join(path, name));
  }
}

export function webSourceHash(): string {
  const h = createHash('sha256');
  for (const s of sources) {
    for (const f of files(join(projectRoot, s))) h.update(relative(projectRoot, f)).update('\0').update(readFileSync(f)).update('\0');
  }
  return h.digest('hex');
}

export async function ensureWebBuilt(log: (line: string) => void = () => {}): Promise<{ built: boolean; ms: number }> {
  const t0 = performance.now();
  const dist = join(projectRoot, 'web', 'dist');
  const stampFile = join(dist, '.build-stamp');
  const hash = webSourceHash();
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === hash && existsSync(join(dist, 'index.html'))) return { built: false, ms: performance.now() - t0 };
  log('Building the web pages (web/ changed since the last build)...');
  const { build } = await import('vite');
  await build({ configFile: join(projectRoot, 'web', 'vite.config.ts'), logLevel: 'warn' });
  writeFileSync(stampFile, hash);
  return { built: true, ms: performance.now() - t0 };
}
