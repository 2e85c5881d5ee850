// `npm test`: static checks, build and package, then the three test layers against the packaged
// VSIX — unit (plain Node), editor (mocha inside code-server's extension host) and ui (Chromium
// driving the workbench). Prints one closing "N passed, N failed" line; exits non-zero on any failure.
//   tsx test/run.ts [unit|editor|ui]...   only those layers (build and package still run first)
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runEditorTests } from './harness/editorTests';
import { startSandbox } from './sandbox/index';

const ROOT = resolve(__dirname, '..');
const VSIX = join(ROOT, 'out', 'atlassian-mcp-bridge.vsix');
const BIN = join(ROOT, 'node_modules', '.bin');
const LAYERS = ['unit', 'editor', 'ui'] as const;
type Layer = (typeof LAYERS)[number];

interface Stats {
  passes: number;
  failures: number;
  pending: number;
}

async function step(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<boolean> {
  const started = Date.now();
  process.stdout.write(`\n[test] ${name}: ${command} ${args.join(' ')}\n`);
  const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
  const [code] = (await once(child, 'exit')) as [number | null];
  process.stdout.write(
    `[test] ${name}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  return code === 0;
}

async function mochaLayer(layer: Layer, spec: string): Promise<Stats> {
  const statsFile = join(tmpdir(), `amb-${layer}-stats-${process.pid}.json`);
  await rm(statsFile, { force: true });
  const ok = await step(
    `${layer} tests`,
    join(BIN, 'mocha'),
    ['--reporter', join(ROOT, 'test/support/stats-reporter.cjs'), spec],
    {
      AMB_STATS_FILE: statsFile,
      AMB_VSIX: VSIX,
    },
  );
  return readStats(statsFile, ok);
}

async function readStats(file: string, ok: boolean): Promise<Stats> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Stats;
  } catch {
    // The runner died before reporting: count it as one failure so the run cannot pass.
    return { passes: 0, failures: ok ? 0 : 1, pending: 0 };
  }
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !LAYERS.includes(w as Layer));
  if (unknown.length > 0) throw new Error(`unknown layer(s): ${unknown.join(', ')}; choose from ${LAYERS.join(', ')}`);
  const layers: readonly Layer[] = wanted.length > 0 ? (wanted as Layer[]) : LAYERS;
  const needsEditor = layers.some((l) => l !== 'unit');
  await mkdir(join(ROOT, 'test-results'), { recursive: true });

  let prerequisitesOk = true;
  if (wanted.length === 0) {
    prerequisitesOk = (await step('typecheck', join(BIN, 'tsc'), ['--noEmit', '-p', '.'])) && prerequisitesOk;
    prerequisitesOk =
      (await step('typecheck (webview)', join(BIN, 'tsc'), ['--noEmit', '-p', 'src/webview'])) && prerequisitesOk;
    prerequisitesOk = (await step('lint', join(BIN, 'eslint'), ['.'])) && prerequisitesOk;
    prerequisitesOk =
      (await step('format', join(BIN, 'prettier'), ['--check', '--log-level', 'warn', '.'])) && prerequisitesOk;
  }
  if (needsEditor) {
    prerequisitesOk = (await step('build (tests)', process.execPath, ['esbuild.js'])) && prerequisitesOk;
    prerequisitesOk = (await step('package', 'npm', ['run', 'package', '--silent'])) && prerequisitesOk;
    if (prerequisitesOk) process.stdout.write(`[test] VSIX: ${((await stat(VSIX)).size / 1024).toFixed(0)} KiB\n`);
  }

  const totals: Stats = { passes: 0, failures: prerequisitesOk ? 0 : 1, pending: 0 };
  const add = (s: Stats) => {
    totals.passes += s.passes;
    totals.failures += s.failures;
    totals.pending += s.pending;
  };

  for (const layer of layers) {
    if (layer === 'unit') add(await mochaLayer('unit', 'test/unit/**/*.test.ts'));
    if (layer === 'editor' && prerequisitesOk) {
      process.stdout.write("\n[test] editor tests: mocha inside code-server's extension host\n");
      const sandbox = await startSandbox();
      const { exitCode, stats } = await runEditorTests({
        vsix: VSIX,
        testsEntry: join(ROOT, 'out/test/editor/index.js'),
        env: { AMB_SANDBOX_URL: sandbox.url },
      }).finally(() => sandbox.close());
      add(stats ?? { passes: 0, failures: 1, pending: 0 });
      if (exitCode !== 0 && (stats?.failures ?? 0) === 0) totals.failures++;
      process.stdout.write(
        `[test] editor tests: ${exitCode === 0 ? 'ok' : `FAILED (extension host exit ${exitCode})`}\n`,
      );
    }
    if (layer === 'ui' && prerequisitesOk) {
      // Screenshots of this run only: a stale failed-*.png would mislead whoever reads them.
      await rm(join(ROOT, 'test-results', 'ui'), { recursive: true, force: true });
      add(await mochaLayer('ui', 'test/ui/**/*.test.ts'));
    }
  }

  process.stdout.write(
    `\n${totals.passes} passed, ${totals.failures} failed${totals.pending ? `, ${totals.pending} skipped` : ''}\n`,
  );
  process.exitCode = totals.failures > 0 ? 1 : 0;
}

main().catch((err: unknown) => {
  console.error(err);
  process.stdout.write('\n0 passed, 1 failed\n');
  process.exitCode = 1;
});
