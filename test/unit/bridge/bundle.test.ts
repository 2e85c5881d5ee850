// dist/bridge.js starts without the content libraries: they ship in bridge-content.js, which the
// bridge requires the first time a tool converts Markdown, ADF or storage (scripts/bridgeBundle.js).
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { bridgeBuilds } from '../../../scripts/bridgeBundle';

const CONTENT_PACKAGES = [
  'marked',
  'marklassian',
  'htmlparser2',
  'node-html-markdown',
  'dom-serializer',
  'entities',
  'he',
];

function packagesIn(metafile: Metafile): Set<string> {
  const packages = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(input);
    if (m) packages.add(m[1]!);
  }
  return packages;
}

describe('the bridge bundle', () => {
  it('keeps the content libraries out of bridge.js and in bridge-content.js', async function () {
    this.timeout(60_000);
    const outdir = mkdtempSync(join(tmpdir(), 'amb-bundle-'));
    const common = { bundle: true, platform: 'node', format: 'cjs', write: false, metafile: true } as const;
    const results = await Promise.all(bridgeBuilds(common, outdir).map((options) => build(options)));
    const byFile = new Map(results.map((r, i) => [basename(bridgeBuilds(common, outdir)[i]!.outfile!), r.metafile]));
    const main = packagesIn(byFile.get('bridge.js')!);
    const content = packagesIn(byFile.get('bridge-content.js')!);
    for (const name of CONTENT_PACKAGES) {
      assert.ok(!main.has(name), `bridge.js bundles ${name}`);
      assert.ok(content.has(name), `bridge-content.js lacks ${name}`);
    }
    assert.ok(main.has('@modelcontextprotocol/server'), 'bridge.js has the MCP SDK');
  });
});
