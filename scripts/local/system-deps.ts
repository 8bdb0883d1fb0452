import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * The Debian packages the local stack and the browser tests need: Java 17 for DynamoDB Local,
 * Chromium and CJK fonts (without them Chinese renders as boxes) for the browser tests. When
 * one is missing, root installs it with apt-get, saying so; anyone else is told the command.
 */
const packages = {
  java: { pkg: 'openjdk-17-jre-headless', present: () => spawnSync('sh', ['-c', 'command -v java'], { stdio: 'ignore' }).status === 0 },
  chromium: { pkg: 'chromium', present: () => existsSync('/usr/bin/chromium') },
  cjkFonts: { pkg: 'fonts-noto-cjk', present: () => existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc') },
} as const;
export type SystemNeed = keyof typeof packages;

export function ensureSystemPackages(needs: readonly SystemNeed[], log: (line: string) => void = console.log): void {
  const missing = needs.filter((n) => !packages[n].present()).map((n) => packages[n].pkg);
  if (!missing.length) return;
  const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!isRoot || !hasApt) {
    throw new Error(`missing system packages: ${missing.join(', ')}. Install them with:\n  sudo ${command}`);
  }
  log(`Installing missing system packages with apt-get: ${missing.join(' ')} (about a minute)...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', ...missing]]) {
    const r = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed; run it yourself: ${command}`);
  }
  log(`  installed: ${missing.join(' ')}`);
}
