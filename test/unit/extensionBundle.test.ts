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
  'jsonc-parser': 'mcpJsonEdit.js',
};

/** Bundles loaded by another bundle loaded on demand, not by extension.js itself. */
const LOADED_BY: Record<string, string> = { 'probe.js': 'forwardingProxy.js' };

/** Modules of ours that load with the panel that needs them. */
const PANELS = ['src/vscode/issueDetailPanel.ts', 'src/vscode/createIssuePanel.ts'];

/** Modules of ours that load when first used, and the bundle each comes from instead. */
const OURS_ON_DEMAND: Record<string, string> = {
  'src/mcp/mcpJsonEdit.ts': 'mcpJsonEdit.js',
  'src/vscode/diagnosticsRun.ts': 'diagnosticsRun.js',
  'src/health/diagnostics.ts': 'diagnosticsRun.js',
  'src/vscode/connectFlow.ts': 'connectFlow.js',
  'src/vscode/signInFlows.ts': 'connectFlow.js',
  'src/auth/signIn.ts': 'connectFlow.js',
  'src/auth/siteCheck.ts': 'connectFlow.js',
  'src/auth/callbackPages.ts': 'connectFlow.js',
  'src/vscode/jqlPicker.ts': 'jqlPicker.js',
  'src/issues/search/jqlAutocomplete.ts': 'jqlPicker.js',
  'src/remote/forwardingProxy.ts': 'forwardingProxy.js',
  'src/remote/upstreamRequest.ts': 'forwardingProxy.js',
  'src/remote/redirects.ts': 'forwardingProxy.js',
};

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
      if (!(bundle in LOADED_BY)) assert.ok(externals.has(`./${bundle}`), `extension.js never loads ./${bundle}`);
    for (const panel of PANELS)
      assert.ok(!Object.keys(metafile.inputs).some((i) => i.endsWith(panel)), `extension.js bundles ${panel}`);
    for (const [module, bundle] of Object.entries(OURS_ON_DEMAND)) {
      assert.ok(!(module in metafile.inputs), `extension.js bundles ${module} (it belongs in ${bundle})`);
      assert.ok(externals.has(`./${bundle}`), `extension.js never loads ./${bundle}`);
    }
  });

  it('builds each bundle it loads on demand, holding the modules moved there', async function () {
    this.timeout(120_000);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- esbuild.js is CommonJS
    const { builds } = require('../../esbuild.js') as { builds: BuildOptions[] };
    for (const bundle of new Set(Object.values(OURS_ON_DEMAND))) {
      const options = builds.find((b) => b.outfile === `dist/${bundle}`);
      assert.ok(options, `esbuild.js builds no dist/${bundle}`);
      const { metafile } = await build({ ...options, write: false, metafile: true, logLevel: 'error' });
      for (const [module, from] of Object.entries(OURS_ON_DEMAND))
        if (from === bundle) assert.ok(module in metafile.inputs, `dist/${bundle} does not hold ${module}`);
      const externals = new Set(Object.values(metafile.inputs).flatMap((i) => i.imports.map((x) => x.path)));
      for (const [inner, outer] of Object.entries(LOADED_BY))
        if (outer === bundle) assert.ok(externals.has(`./${inner}`), `dist/${bundle} never loads ./${inner}`);
      for (const [name, from] of Object.entries(ON_DEMAND))
        if (from !== bundle)
          assert.ok(!packagesIn(metafile).has(name), `dist/${bundle} bundles ${name} (it belongs in ${from})`);
      // Core text there is VS Code's l10n for this extension, not a second, unconfigured @vscode/l10n.
      assert.ok(!packagesIn(metafile).has('@vscode/l10n'), `dist/${bundle} bundles its own @vscode/l10n`);
    }
  });
});
