// The bundles the benchmark runs: the shipped production build and the baseline servers bundled the
// same way. Everything is copied or built into a private
// temp directory so a concurrent `node esbuild.js` elsewhere cannot swap a file mid-run.
import { execFile } from 'node:child_process';
import { copyFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build, type BuildOptions } from 'esbuild';

export const ROOT = resolve(__dirname, '..');

/** The production options of esbuild.js (`common` with --production); keep in step with it. */
const PRODUCTION: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
};

export interface Bundle {
  readonly name: string;
  readonly path: string;
  readonly bytes: number;
}

function bundleInfo(name: string, path: string): Bundle {
  return { name, path, bytes: statSync(path).size };
}

/** Runs the real production build (what ships in the VSIX) and snapshots dist/bridge.js. */
export async function buildShipped(dir: string): Promise<Bundle> {
  await promisify(execFile)(process.execPath, ['esbuild.js', '--production'], { cwd: ROOT });
  const path = join(dir, 'bridge.js');
  copyFileSync(join(ROOT, 'dist/bridge.js'), path);
  return bundleInfo('bridge', path);
}

/** A server under bench/ (the baseline, the floor), bundled with the production options. */
export async function buildBenchServer(name: 'baseline-server' | 'floor-server', dir: string): Promise<Bundle> {
  const path = join(dir, `${name}.js`);
  await build({ ...PRODUCTION, entryPoints: [join(ROOT, `bench/${name}.ts`)], outfile: path });
  return bundleInfo(name, path);
}
