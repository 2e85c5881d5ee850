// Bundles the extension and the standalone MCP bridge (and, for tests, the editor-test entry).
//   node esbuild.js               development build: source maps, no minification
//   node esbuild.js --production  what ships in the VSIX: minified, no source maps
//   node esbuild.js --watch       rebuild on change
const esbuild = require('esbuild');
const { bridgeBuilds, librariesOnDemand } = require('./scripts/bridgeBundle');

const { version } = require('./package.json');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** VS Code >= 1.101 runs extensions on Node 22; the bridge runs on that same Node. */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  legalComments: production ? 'none' : 'inline',
  logLevel: 'warning',
  define: { BRIDGE_VERSION: JSON.stringify(version) },
  // jsonc-parser's `main` is a UMD build whose inner requires esbuild cannot follow; its ES build bundles.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
};

/**
 * Modules of ours that activation does not run, each required (or imported) only where it is first
 * used: `request` as written in the file ending with `importer` loads dist/<bundle> instead.
 */
const OURS_ON_DEMAND = [
  // mcp.json edits (jsonc-parser): Add/Remove the Bridge in mcp.json.
  {
    request: '../mcp/mcpJsonEdit',
    importer: 'mcpJsonCommands.ts',
    entry: 'src/mcp/mcpJsonEdit.ts',
    bundle: 'mcpJsonEdit.js',
  },
  // Run Diagnostics: the checks' report, built and scrubbed.
  {
    request: './diagnosticsRun',
    importer: 'diagnosticsCommand.ts',
    entry: 'src/vscode/diagnosticsRun.ts',
    bundle: 'diagnosticsRun.js',
  },
  // Connect / Reconnect: the sign-in flows, the OAuth loopback listener, the site checks.
  {
    request: './connectFlow',
    importer: 'connectCommands.ts',
    entry: 'src/vscode/connectFlow.ts',
    bundle: 'connectFlow.js',
  },
  // Search Issues: the JQL picker and its autocomplete.
  { request: './jqlPicker', importer: 'issueSearch.ts', entry: 'src/vscode/jqlPicker.ts', bundle: 'jqlPicker.js' },
  // The forwarding endpoint for remote MCP servers: created when the first remote needs a route.
  {
    request: './forwardingProxy',
    importer: 'lazyForwardingProxy.ts',
    entry: 'src/remote/forwardingProxy.ts',
    bundle: 'forwardingProxy.js',
  },
];

/**
 * Core code translates with @vscode/l10n, which extension.js configures at activation; a bundle loaded
 * on demand would hold a second, unconfigured copy (English only). There it is VS Code's own l10n for
 * this extension instead: the same messages (l10n/bundle.l10n.json), already loaded.
 */
const l10nFromVscode = {
  name: 'l10n-from-vscode',
  setup(build) {
    build.onResolve({ filter: /^@vscode\/l10n$/ }, () => ({ path: 'l10n', namespace: 'l10n-from-vscode' }));
    build.onLoad({ filter: /.*/, namespace: 'l10n-from-vscode' }, () => ({
      contents: "module.exports = { t: (...args) => require('vscode').l10n.t(...args) };",
      loader: 'js',
    }));
  },
};

/**
 * Code the extension needs only now and then ships as bundles of its own beside dist/extension.js,
 * so activation does not load it: undici (a custom CA or proxy), oauth4webapi (OAuth sign-in and
 * refresh), the MCP client (a remote probe), the issue detail panel and the create-issue form;
 * Markdown (marked) comes from the bridge's bridge-markdown.js (librariesOnDemand), as in the bridge.
 */
const loadedOnDemand = {
  name: 'loaded-on-demand',
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, () => ({ path: './undici.js', external: true }));
    build.onResolve({ filter: /^oauth4webapi$/ }, () => ({ path: './oauth4webapi.js', external: true }));
    build.onResolve({ filter: /^\.\/probe$/ }, (args) =>
      args.importer.endsWith('forwardingProxy.ts') ? { path: './probe.js', external: true } : undefined,
    );
    build.onResolve({ filter: /^\.\/issueDetailPanel$/ }, (args) =>
      args.importer.endsWith('issueDetail.ts') ? { path: './issueDetailPanel.js', external: true } : undefined,
    );
    build.onResolve({ filter: /^\.\/createIssuePanel$/ }, (args) =>
      args.importer.endsWith('issueCreate.ts') ? { path: './createIssuePanel.js', external: true } : undefined,
    );
    build.onResolve({ filter: /^\.\.\/issues\/chat\/render$/ }, (args) =>
      args.importer.endsWith('chatContext.ts') ? { path: './chatRender.js', external: true } : undefined,
    );
    for (const { request, importer, bundle } of OURS_ON_DEMAND) {
      const filter = new RegExp(`^${request.replace(/[./]/g, '\\$&')}$`);
      build.onResolve({ filter }, (args) =>
        args.importer.endsWith(importer) ? { path: `./${bundle}`, external: true } : undefined,
      );
    }
  },
};

const builds = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode'],
    plugins: [loadedOnDemand, librariesOnDemand],
  },
  { ...common, entryPoints: ['node_modules/undici/index.js'], outfile: 'dist/undici.js' },
  { ...common, entryPoints: ['node_modules/oauth4webapi/build/index.js'], outfile: 'dist/oauth4webapi.js' },
  { ...common, entryPoints: ['src/remote/probe.ts'], outfile: 'dist/probe.js' },
  // The issue detail panel (loaded when the first one opens), and its script, which runs in the webview (a browser), loaded only when a panel opens.
  {
    ...common,
    entryPoints: ['src/vscode/issueDetailPanel.ts'],
    outfile: 'dist/issueDetailPanel.js',
    external: ['vscode'],
  },
  // Issues and pages rendered for chat: loaded when the first one is added to chat.
  { ...common, entryPoints: ['src/issues/chat/render.ts'], outfile: 'dist/chatRender.js' },
  // The create-issue form, likewise: its panel code and its webview script load when a form opens.
  {
    ...common,
    entryPoints: ['src/vscode/createIssuePanel.ts'],
    outfile: 'dist/createIssuePanel.js',
    external: ['vscode'],
  },
  {
    ...common,
    entryPoints: ['src/webview/createIssue.ts'],
    outfile: 'dist/webview/createIssue.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  {
    ...common,
    entryPoints: ['src/webview/issueDetail.ts'],
    outfile: 'dist/webview/issueDetail.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  ...OURS_ON_DEMAND.map(({ entry, bundle }) => ({
    ...common,
    entryPoints: [entry],
    outfile: `dist/${bundle}`,
    external: ['vscode'],
    plugins: [loadedOnDemand, librariesOnDemand, l10nFromVscode],
  })),
  // The MCP bridge and the content libraries it loads on first use (scripts/bridgeBundle.js).
  ...bridgeBuilds(common, 'dist'),
];
if (!production) {
  // Mocha suites that run inside a real VS Code extension host (code-server or Electron).
  builds.push({
    ...common,
    entryPoints: ['test/editor/index.ts'],
    outfile: 'out/test/editor/index.js',
    external: ['vscode', 'mocha'],
  });
}

async function main() {
  if (watch) {
    const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
    await Promise.all(contexts.map((c) => c.watch()));
    console.log('[esbuild] watching for changes');
    return;
  }
  await Promise.all(builds.map((b) => esbuild.build(b)));
}

// Required by test/unit/extensionBundle.test.ts for the options alone.
if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}

module.exports = { builds };
