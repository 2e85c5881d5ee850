// dist/extension.js holds what activation needs and nothing else (issue 14: activation ≤ 100 ms):
// code used now and then ships as bundles of its own beside it (esbuild.js), loaded on first use, so
// VS Code neither reads nor compiles it when the extension activates.
import assert from 'node:assert/strict';
import { build, type BuildOptions, type Metafile } from 'esbuild';

/** Packages dist/extension.js must not bundle, and the bundle each comes from instead. */
const ON_DEMAND: Record<string, string> = {
  undici: 'undici.js',
  oauth4webapi: 'oauth4webapi.js',
  marked: 'bridge-markdown.js',
  marklassian: 'bridge-markdown.js',
  '@modelcontextprotocol/client': 'probe.js',
};

/** Modules of ours that load with the panel that needs them. */
const PANELS = ['src/vscode/issueDetailPanel.ts', 'src/vscode/createIssuePanel.ts'];

function packagesIn(metafile: Metafile): Set<string> {
  const packages = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(input);
    if (m) packages.add(m[1]!);
  }
  return packages;
}

describe('the extension bundle', () => {
  it('leaves code used only now and then to the bundles loaded on demand', async function () {
    this.timeout(60_000);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- esbuild.js is CommonJS
    const { builds } = require('../../esbuild.js') as { builds: BuildOptions[] };
    const options = builds.find((b) => b.outfile === 'dist/extension.js')!;
    const { metafile } = await build({ ...options, write: false, metafile: true, logLevel: 'error' });
    const packages = packagesIn(metafile);
    for (const [name, bundle] of Object.entries(ON_DEMAND))
      assert.ok(!packages.has(name), `extension.js bundles ${name} (it belongs in ${bundle})`);
    const externals = new Set(Object.values(metafile.inputs).flatMap((i) => i.imports.map((x) => x.path)));
    for (const bundle of new Set(Object.values(ON_DEMAND)))
      assert.ok(externals.has(`./${bundle}`), `extension.js never loads ./${bundle}`);
    for (const panel of PANELS)
      assert.ok(!Object.keys(metafile.inputs).some((i) => i.endsWith(panel)), `extension.js bundles ${panel}`);
  });
});
