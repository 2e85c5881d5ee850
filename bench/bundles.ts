// The bundles the benchmark runs: the shipped production build (and the VSIX it goes into) and the
// baselines bundled the same way. Everything is built into a private temp directory, from a snapshot
// of the working tree, so a concurrent `node esbuild.js` or `npm run package` elsewhere can neither
// swap a file mid-run nor be disturbed by this one.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build, type BuildOptions } from 'esbuild';
import { bridgeBuilds, productionOptions } from '../scripts/bridgeBundle';

export const ROOT = resolve(__dirname, '..');

/** The production options of esbuild.js (`common` with --production). */
const PRODUCTION: BuildOptions = productionOptions('0.0.0-bench');

export interface Bundle {
  readonly name: string;
  readonly path: string;
  readonly bytes: number;
}

function bundleInfo(name: string, path: string): Bundle {
  return { name, path, bytes: statSync(path).size };
}

/** dist/bridge.js, the launcher, and the bridge-server.js beside it that it runs: the bytes of both. */
function bridgeInfo(path: string): Bundle {
  return { name: 'bridge', path, bytes: statSync(path).size + statSync(join(dirname(path), 'bridge-server.js')).size };
}

export interface Shipped {
  readonly bridge: Bundle;
  readonly extension: Bundle;
  readonly vsix: Bundle;
  /** The `vsce package` command line that made it (as `npm run package` runs it, another --out). */
  readonly command: string;
}

/** Top-level entries of the repository that are not copied into the snapshot. */
const NOT_COPIED = new Set(['.git', 'node_modules', 'dist', 'out', 'test-results']);

/**
 * `npm run package` in a snapshot of the working tree under `dir`: vsce runs `vscode:prepublish`
 * (`node esbuild.js --production`) there, so dist/ and the VSIX are exactly what ships, built by the
 * project's own scripts, without touching the repository's dist/ and out/.
 */
export async function packageShipped(dir: string): Promise<Shipped> {
  const stage = join(dir, 'package');
  mkdirSync(stage, { recursive: true });
  cpSync(ROOT, stage, {
    recursive: true,
    filter: (src) => src === ROOT || !NOT_COPIED.has(src.slice(ROOT.length + 1)),
  });
  symlinkSync(join(ROOT, 'node_modules'), join(stage, 'node_modules'), 'dir');
  const vsixPath = join(dir, 'atlassian-mcp-bridge.vsix');
  // The project's own `npm run package` (scripts/package.sh: vscode:prepublish, then vsce with its
  // flags and README handling), writing the VSIX where AMB_VSIX_OUT says.
  await promisify(execFile)('npm', ['run', 'package', '--silent'], {
    cwd: stage,
    env: { ...process.env, AMB_VSIX_OUT: vsixPath },
    maxBuffer: 16 * 2 ** 20,
  });
  return {
    bridge: bridgeInfo(join(stage, 'dist/bridge.js')),
    extension: bundleInfo('extension', join(stage, 'dist/extension.js')),
    vsix: bundleInfo('vsix', vsixPath),
    command: 'AMB_VSIX_OUT=$TMP/atlassian-mcp-bridge.vsix npm run package (scripts/package.sh)',
  };
}

/**
 * The activation baseline: bench/trivial-extension.ts bundled with the extension's production
 * options into an unpacked extension folder (manifest included) that code-server can load.
 */
export async function buildTrivialExtension(dir: string): Promise<{ folder: string; id: string; bundle: Bundle }> {
  const folder = join(dir, 'trivial-extension');
  const path = join(folder, 'dist/extension.js');
  await build({
    ...PRODUCTION,
    entryPoints: [join(ROOT, 'bench/trivial-extension.ts')],
    outfile: path,
    external: ['vscode'],
  });
  writeFileSync(join(folder, 'package.json'), JSON.stringify(TRIVIAL_MANIFEST, null, 2));
  return {
    folder,
    id: `${TRIVIAL_MANIFEST.publisher}.${TRIVIAL_MANIFEST.name}`,
    bundle: bundleInfo('trivial-extension', path),
  };
}

/** Activated like ours: by VS Code asking for its MCP servers (the implicit `onMcpCollection:` event). */
const TRIVIAL_MANIFEST = {
  name: 'trivial-extension',
  publisher: 'amb-bench',
  version: '0.0.1',
  engines: { vscode: '^1.101.0' },
  main: './dist/extension.js',
  activationEvents: [],
  contributes: {
    commands: [{ command: 'ambBenchTrivial.hello', title: 'Hello (bench)' }],
    mcpServerDefinitionProviders: [{ id: 'ambBenchTrivial.servers', label: 'Bench trivial extension' }],
  },
};

/** The code the benchmark runs inside code-server's extension host (an `extensionTestsPath` entry). */
export async function buildExtensionHostEntry(dir: string): Promise<string> {
  const path = join(dir, 'extension-host.js');
  await build({
    ...PRODUCTION,
    minify: false,
    entryPoints: [join(ROOT, 'bench/extension-host.ts')],
    outfile: path,
    external: ['vscode'],
  });
  return path;
}

/** A server under bench/ (the baseline, the floor), bundled with the production options. */
export async function buildBenchServer(name: 'baseline-server' | 'floor-server', dir: string): Promise<Bundle> {
  const path = join(dir, `${name}.js`);
  await build({ ...PRODUCTION, entryPoints: [join(ROOT, `bench/${name}.ts`)], outfile: path });
  return bundleInfo(name, path);
}

/** dist/bridge.js (and the bundles it loads on demand), built as esbuild.js --production builds them (for `npm run bench -- --bridge-only`). */
export async function buildBridge(dir: string): Promise<Bundle> {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const outdir = join(dir, 'bridge');
  const common: BuildOptions = { ...PRODUCTION, define: { BRIDGE_VERSION: JSON.stringify(version) } };
  await Promise.all(bridgeBuilds(common, outdir).map((options) => build(options)));
  return bridgeInfo(join(outdir, 'bridge.js'));
}
