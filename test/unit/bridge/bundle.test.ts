// dist/bridge.js is a small launcher that runs dist/bridge-server.js from V8's code cache
// (src/bridge/launch.ts). bridge-server.js starts with what answers the first request and nothing else:
// libraries only some tools need ship as bundles of their own (scripts/bridgeBundle.js, ON_DEMAND),
// required when such a tool first runs, and a stdio start loads no costly Node module (issue 15's
// startup and memory goals).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { bridgeBuilds, ON_DEMAND } from '../../../scripts/bridgeBundle';

const ROOT = resolve(__dirname, '../../..');

/** What each on-demand bundle must hold, its packages' own dependencies included. */
const HELD: Record<string, readonly string[]> = {
  'bridge-markdown.js': ['marked', 'marklassian'],
  'bridge-html.js': ['htmlparser2', 'node-html-markdown', 'dom-serializer', 'entities', 'he'],
  'bridge-diff.js': ['diff'],
  'bridge-proxy.js': ['https-proxy-agent', 'agent-base', 'debug'],
};

/** The Node modules a stdio start may import before its first request: each costs little or is loaded anyway. */
const EAGER_BUILTINS = ['node:path', 'node:process', 'node:url', 'node:util'];

/** Bridge modules a stdio start must not evaluate: they load with the mode or tool that needs them. */
const LAZY_MODULES = ['src/bridge/httpServer.ts', 'src/bridge/httpGuards.ts', 'src/atlassian/storage.ts'];

function packagesIn(metafile: Metafile): Set<string> {
  const packages = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(input);
    if (m) packages.add(m[1]!);
  }
  return packages;
}

/** Inputs reachable from the entry by static imports (what runs at start), and the external modules they import. */
function staticallyReached(metafile: Metafile, entry: string): { inputs: Set<string>; external: Set<string> } {
  const inputs = new Set([entry]);
  const external = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    for (const imported of metafile.inputs[queue.pop()!]!.imports) {
      if (imported.kind !== 'import-statement') continue;
      if (imported.external) external.add(imported.path);
      else if (!inputs.has(imported.path)) {
        inputs.add(imported.path);
        queue.push(imported.path);
      }
    }
  }
  return { inputs, external };
}

describe('the bridge bundle', () => {
  let byFile: Map<string, Metafile>;
  let textOf: Map<string, string>;

  before(async function () {
    this.timeout(60_000);
    const outdir = mkdtempSync(join(tmpdir(), 'amb-bundle-'));
    const common = { bundle: true, platform: 'node', format: 'cjs', write: false, metafile: true } as const;
    const options = bridgeBuilds(common, outdir);
    const results = await Promise.all(options.map((o) => build(o)));
    byFile = new Map(results.map((r, i) => [basename(options[i]!.outfile!), r.metafile!]));
    textOf = new Map(results.map((r, i) => [basename(options[i]!.outfile!), r.outputFiles![0]!.text]));
  });

  it('makes bridge.js the launcher alone: no package, no bridge code but src/bridge/launch.ts', () => {
    assert.deepEqual(Object.keys(byFile.get('bridge.js')!.inputs), ['src/bridge/launch.ts']);
    assert.match(textOf.get('bridge.js')!, /bridge-server\.js/);
  });

  it('leaves no import() in bridge-server.js (the launcher runs it as a vm.Script, which has no loader for it)', () => {
    assert.doesNotMatch(textOf.get('bridge-server.js')!, /(^|[^\w$.])import\(/);
  });

  it('keeps the on-demand libraries out of bridge-server.js, each in its own bundle', () => {
    assert.deepEqual(Object.keys(ON_DEMAND).sort(), Object.keys(HELD).sort());
    const main = packagesIn(byFile.get('bridge-server.js')!);
    assert.ok(main.has('@modelcontextprotocol/server'), 'bridge-server.js has the MCP SDK');
    for (const [file, names] of Object.entries(HELD)) {
      const held = packagesIn(byFile.get(file)!);
      for (const name of names) {
        assert.ok(!main.has(name), `bridge-server.js bundles ${name}`);
        assert.ok(held.has(name), `${file} lacks ${name}`);
      }
    }
  });

  it('keeps the Markdown bundle free of the HTML libraries (a Cloud comment loads only marked)', () => {
    const markdown = packagesIn(byFile.get('bridge-markdown.js')!);
    for (const name of HELD['bridge-html.js']!) assert.ok(!markdown.has(name), `bridge-markdown.js bundles ${name}`);
  });

  it("leaves out the MCP SDK's schemas that nothing uses, and its registry of them (scripts/sdkUnusedSchemas.js)", () => {
    const text = textOf.get('bridge-server.js')!;
    assert.doesNotMatch(text, /\bSPEC_SCHEMA_KEYS\b/, 'the spec-type registry is bundled');
    // Public schemas the bridge never parses with (the wire layer keeps its own copies, as `…$1`).
    for (const unused of ['OAuthTokensSchema', 'ListRootsResultSchema', 'CreateMessageResultSchema'])
      assert.doesNotMatch(text, new RegExp(`\\b${unused} = `), `${unused} is bundled`);
    assert.match(text, /\bJSONRPCMessageSchema = /, 'what the SDK parses with stays');
    // With the registry gone its objects are empty: the bridge must not read them.
    const readers = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter(
      (file) =>
        file.endsWith('.ts') && /\b(specTypeSchemas|isSpecType)\b/.test(readFileSync(join(ROOT, 'src', file), 'utf8')),
    );
    assert.deepEqual(readers, [], 'reads specTypeSchemas or isSpecType');
  });

  it('starts over stdio without costly Node modules or the HTTP and storage code', () => {
    const metafile = byFile.get('bridge-server.js')!;
    const entry = Object.keys(metafile.inputs).find((input) => input.endsWith('src/bridge/main.ts'))!;
    const { inputs, external } = staticallyReached(metafile, entry);
    assert.deepEqual(
      [...external].filter((name) => !EAGER_BUILTINS.includes(name)),
      [],
      'imported at start (load them where they are used, with import())',
    );
    for (const lazy of LAZY_MODULES)
      assert.ok(![...inputs].some((input) => input.endsWith(lazy)), `${lazy} is imported at start`);
  });
});
