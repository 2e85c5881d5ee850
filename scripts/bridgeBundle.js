// How the bridge is bundled, shared by esbuild.js, the benchmark (bench/bundles.ts) and the bridge
// tests (test/unit/bridge/harness.ts), so all three run what ships.
//
// dist/bridge.js holds what answers the first request: the MCP SDK, the tools and the Atlassian
// clients. The content libraries (Markdown, ADF, storage XHTML) are ~380 KB the bridge reaches only
// through dynamic imports on first use; they ship as dist/bridge-content.js, required from there,
// so a start neither reads nor compiles them (about half of the old single bundle).
const { join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..');

/** Package → the name src/bridge/contentLibraries.ts exports its namespace under. */
const CONTENT_LIBRARIES = {
  marked: 'marked',
  marklassian: 'marklassian',
  htmlparser2: 'htmlparser2',
  'node-html-markdown': 'nodeHtmlMarkdown',
  'dom-serializer': 'domSerializer',
};

/** `await import('marked')` in the bridge becomes a require of bridge-content.js, made when it runs. */
const contentOnDemand = {
  name: 'bridge-content-on-demand',
  setup(build) {
    const names = Object.keys(CONTENT_LIBRARIES).join('|');
    build.onResolve({ filter: new RegExp(`^(${names})$`) }, (args) =>
      args.kind === 'dynamic-import' ? { path: args.path, namespace: 'bridge-content' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'bridge-content' }, (args) => ({
      contents: `module.exports = require('./bridge-content.js').${CONTENT_LIBRARIES[args.path]};`,
      loader: 'js',
    }));
    build.onResolve({ filter: /^\.\/bridge-content\.js$/ }, (args) => ({ path: args.path, external: true }));
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
 * esbuild options for bridge.js, bridge-content.js and team.js in `outdir`, on top of `common` (bundle,
 * platform, minification, define…).
 */
function bridgeBuilds(common, outdir) {
  return [
    {
      ...common,
      entryPoints: [join(ROOT, 'src/bridge/main.ts')],
      outfile: join(outdir, 'bridge.js'),
      plugins: [contentOnDemand, teamOnDemand],
      // The SDK builds an Ajv instance at startup (its Node shim bundles one) only to check tool
      // output schemas and elicitation answers against a schema, neither of which the bridge uses
      // (tools check answers themselves): leaving it out saves ~150 KB of bundle (bench/). The
      // bridge's messages stay English, so @vscode/l10n (and the fs/promises it loads) stays out too.
      alias: {
        '@modelcontextprotocol/server/_shims': join(ROOT, 'src/bridge/stubs/sdkShims.ts'),
        '@vscode/l10n': join(ROOT, 'src/bridge/stubs/l10n.ts'),
      },
    },
    {
      ...common,
      entryPoints: [join(ROOT, 'src/bridge/contentLibraries.ts')],
      outfile: join(outdir, 'bridge-content.js'),
    },
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

module.exports = { bridgeBuilds };
