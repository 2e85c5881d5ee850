// `npm run demo`: the product on the embedded sandbox, in a real VS Code in the browser. Starts the
// sandbox (a local Atlassian Cloud), packages the extension, starts code-server with the VSIX
// installed, prints the URL to open, and stops everything cleanly on Ctrl-C.
//   npm run demo -- [--port 8080] [--sandbox-port 8081]
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startCodeServer } from '../test/harness/codeServer';
import { startSandbox } from '../test/sandbox/index';

const ROOT = resolve(__dirname, '..');
const VSIX = join(ROOT, 'out', 'atlassian-mcp-bridge.vsix');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: 'string', default: '8080' }, 'sandbox-port': { type: 'string', default: '0' } },
  });

  console.log('[demo] packaging the extension…');
  const vsce = spawnSync('npm', ['run', 'package', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  if (vsce.status !== 0) throw new Error('packaging failed');

  const sandbox = await startSandbox({ port: Number(values['sandbox-port']) });
  // The sandbox setting makes "Connect Atlassian" sign in to the sandbox with no typing. Unlike the
  // tests, the demo keeps the Welcome page and its walkthroughs, as a person would see them.
  const server = await startCodeServer({
    vsix: VSIX,
    port: Number(values.port),
    settings: {
      'atlassianMcpBridge.sandbox': `${sandbox.url}/.well-known/sandbox.json`,
      'workbench.startupEditor': 'welcomePage',
      'workbench.welcomePage.walkthroughs.openOnInstall': true,
    },
  });

  const user = sandbox.discovery.users[0]!;
  const { dataCenter } = sandbox.discovery;
  console.log(`
  Atlassian MCP Bridge demo is running.

    Open VS Code:   ${server.url}/?folder=${encodeURIComponent(server.workspace)}
    Sandbox:        ${sandbox.url}/.well-known/sandbox.json
    Then:           Atlassian view → Connect Atlassian → any method (the sandbox fills everything in),
                    or the walkthrough: Welcome → "Get started with Atlassian MCP Bridge"
    Sign in as:     ${user.displayName} <${user.email}>, API token ${user.apiToken}
    Sites:          ${sandbox.discovery.sites.map((s) => `${s.name} ${s.url}`).join('\n                    ')}
    Data Center:    ${dataCenter.url}, personal access token ${dataCenter.personalAccessToken}

  Press Ctrl-C to stop.
`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\n[demo] stopping…');
    await server.stop();
    await sandbox.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error('[demo]', err instanceof Error ? err.message : err);
  process.exit(1);
});
