// `npm run package:bridge`: the bridge as an npm package of its own (packages/bridge), so a server can
// run it without the extension: `npx atlassian-mcp-bridge-server --transport streamable-http …`, the
// Dockerfile, the systemd unit. The extension's package.json is a VS Code manifest (private, no bin),
// so the CLI package is a separate, small one: the production bridge bundles (bridge.js with a
// shebang, the bundles it loads on demand, team.js), its package.json (version from the extension's), LICENSE.
//   node scripts/bridge-package.js [--out DIR] [--pack]   DIR defaults to packages/bridge; --pack also runs npm pack into out/
const { execFileSync } = require('node:child_process');
const { chmodSync, copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');
const esbuild = require('esbuild');
const { bridgeBuilds, productionOptions } = require('./bridgeBundle');

const ROOT = resolve(__dirname, '..');
const SOURCE = join(ROOT, 'packages', 'bridge');

async function buildBridgePackage(out = SOURCE) {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const dist = join(out, 'dist');
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  await Promise.all(bridgeBuilds(productionOptions(version), dist).map((options) => esbuild.build(options)));
  const bridge = join(dist, 'bridge.js');
  writeFileSync(bridge, `#!/usr/bin/env node\n${readFileSync(bridge, 'utf8')}`);
  chmodSync(bridge, 0o755);
  if (out !== SOURCE) cpSync(join(SOURCE, 'README.md'), join(out, 'README.md'));
  const manifest = JSON.parse(readFileSync(join(SOURCE, 'package.json'), 'utf8'));
  writeFileSync(join(out, 'package.json'), `${JSON.stringify({ ...manifest, version }, null, 2)}\n`);
  copyFileSync(join(ROOT, 'LICENSE'), join(out, 'LICENSE'));
  return out;
}

module.exports = { buildBridgePackage };

if (require.main === module) {
  const args = process.argv.slice(2);
  const outAt = args.indexOf('--out');
  const out = outAt >= 0 ? resolve(args[outAt + 1]) : SOURCE;
  buildBridgePackage(out)
    .then((dir) => {
      if (!args.includes('--pack')) return console.log(`bridge package in ${dir}`);
      mkdirSync(join(ROOT, 'out'), { recursive: true });
      const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', join(ROOT, 'out')], {
        cwd: dir,
        encoding: 'utf8',
      }).trim();
      console.log(join(ROOT, 'out', tarball));
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
