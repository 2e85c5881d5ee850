// How the bridge is bundled, shared by esbuild.js, the benchmark (bench/bundles.ts) and the bridge
// tests (test/unit/bridge/harness.ts), so all three run what ships.
//
// dist/bridge.js is a small launcher (src/bridge/launch.ts) that runs dist/bridge-server.js from V8's
// code cache. dist/bridge-server.js holds what answers the first request: the MCP SDK, the tools and the
// Atlassian clients. Libraries only some tools need ship as bundles of their own beside it, required the first
// time such a tool runs, so a start neither reads nor compiles them, and a session loads only the
// ones its tools use (a Markdown comment on Cloud needs marked, not the ~300 KB of HTML parsing).
const { join, resolve } = require('node:path');
const { sdkUnusedSchemas } = require('./sdkUnusedSchemas');

const ROOT = resolve(__dirname, '..');

/** Bundle file → the packages it holds (each exported under its own name). */
const ON_DEMAND = {
  // Markdown → ADF (comments, descriptions, pages on Cloud).
  'bridge-markdown.js': ['marked', 'marklassian'],
  // Storage XHTML and HTML (Data Center, macros, page sections).
  'bridge-html.js': ['htmlparser2', 'node-html-markdown', 'dom-serializer'],
  // confluence_get_page_diff.
  'bridge-diff.js': ['diff'],
  // An HTTPS proxy (HTTPS_PROXY), for the bridge's own requests.
  'bridge-proxy.js': ['https-proxy-agent'],
};

const bundleOf = new Map(Object.entries(ON_DEMAND).flatMap(([file, packages]) => packages.map((p) => [p, file])));
const exportName = (pkg) => pkg.replace(/-(.)/g, (_, c) => c.toUpperCase());

/**
 * `await import('marked')` (or a `require` inside a function) in the bridge becomes a require of the
 * bundle holding it, made when it runs. A static import would still bundle the package into
 * bridge-server.js (test/unit/bridge/bundle.test.ts says so).
 */
const librariesOnDemand = {
  name: 'bridge-libraries-on-demand',
  setup(build) {
    const names = [...bundleOf.keys()].join('|');
    build.onResolve({ filter: new RegExp(`^(${names})$`) }, (args) =>
      args.kind === 'dynamic-import' || args.kind === 'require-call'
        ? { path: args.path, namespace: 'bridge-on-demand' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'bridge-on-demand' }, (args) => ({
      contents: `module.exports = require('./${bundleOf.get(args.path)}').${exportName(args.path)};`,
      loader: 'js',
    }));
    build.onResolve({ filter: /^\.\/bridge-[a-z]+\.js$/ }, (args) => ({ path: args.path, external: true }));
  },
};

/**
 * zod's namespace exports pull in all of its ~40 message locales (~260 KB); the issue card's frame
 * never shows a zod message, so only English stays (zod's own default).
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]/.test(args.importer) ? { path: 'zod-locales', namespace: 'zod-english-only' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, () => ({
      contents: `export { default as en } from ${JSON.stringify(require.resolve('zod/v4/locales/en.js'))};`,
      loader: 'js',
      resolveDir: ROOT,
    }));
  },
};

/** The team server (`--auth oauth`) is dist/team.js, required only in that mode. */
const teamOnDemand = {
  name: 'team-on-demand',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/team\/entry$/ }, () => ({ path: './team.js', external: true }));
  },
};

/**
 * esbuild options for bridge.js (the launcher), bridge-server.js, the bundles it loads on demand (ON_DEMAND) and team.js in
 * `outdir`, on top of `common` (bundle, platform, minification, define…).
 */
function bridgeBuilds(common, outdir) {
  return [
    {
      ...common,
      entryPoints: [join(ROOT, 'src/bridge/launch.ts')],
      outfile: join(outdir, 'bridge.js'),
    },
    {
      ...common,
      entryPoints: [join(ROOT, 'src/bridge/main.ts')],
      outfile: join(outdir, 'bridge-server.js'),
      plugins: [librariesOnDemand, teamOnDemand, sdkUnusedSchemas],
      // The launcher runs this bundle as a vm.Script, which has no loader for import(): every import()
      // becomes a require (of node: modules, the on-demand bundles and team.js, all CommonJS).
      supported: { 'dynamic-import': false },
      // The SDK builds an Ajv instance at startup (its Node shim bundles one) only to check tool
      // output schemas and elicitation answers against a schema, neither of which the bridge uses
      // (tools check answers themselves): leaving it out saves ~150 KB of bundle (bench/). The
      // bridge's messages stay English, so @vscode/l10n (and the fs/promises it loads) stays out too.
      alias: {
        '@modelcontextprotocol/server/_shims': join(ROOT, 'src/bridge/stubs/sdkShims.ts'),
        '@vscode/l10n': join(ROOT, 'src/bridge/stubs/l10n.ts'),
      },
    },
    ...Object.entries(ON_DEMAND).map(([file, packages]) => ({
      ...common,
      stdin: {
        contents: packages.map((p) => `export * as ${exportName(p)} from '${p}';`).join('\n'),
        resolveDir: ROOT,
        sourcefile: file.replace(/\.js$/, '.ts'),
        loader: 'ts',
      },
      outfile: join(outdir, file),
    })),
    {
      // The issue card's script (an MCP App, src/bridge/apps/issueCard.ts): browser code, read only
      // when a chat client asks for the card.
      ...common,
      entryPoints: [join(ROOT, 'src/webview/issueCard.ts')],
      outfile: join(outdir, 'issue-card.js'),
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      minify: true,
      sourcemap: false,
      plugins: [zodEnglishOnly],
    },
    {
      ...common,
      entryPoints: [join(ROOT, 'src/team/entry.ts')],
      outfile: join(outdir, 'team.js'),
      // Native and optional drivers stay outside (node:sqlite on Node 24, better-sqlite3 on Node 20).
      external: ['better-sqlite3', 'pg-native'],
    },
  ];
}

/** esbuild.js's `common` with --production, for builds made outside it (the bridge package, the bench). */
function productionOptions(version) {
  return {
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
    define: { BRIDGE_VERSION: JSON.stringify(version) },
  };
}

module.exports = { bridgeBuilds, librariesOnDemand, productionOptions, ON_DEMAND };
