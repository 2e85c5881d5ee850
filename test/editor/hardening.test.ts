// Hardening, in a real VS Code: a full session against the sandbox (all three sign-in methods,
// several OAuth refreshes, tool calls through the bridge VS Code starts, diagnostics), then a scan
// of everywhere the extension writes or hands out for every secret the session saw: the log files
// (the output channel and the rest of the window's logs), the user settings, every globalState key,
// the bridge's launch definition and its live process environment and command line, the extension's
// storage folders, and the diagnostics report. The VSIX half is test/unit/hardening/vsix.test.ts.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { channelConnections } from '../../src/auth/credentialBroker';
import { loadSandboxProfile, type SandboxProfile } from '../../src/auth/sandboxProfile';
import { clientSecretKey, parseStoredCredential, secretValues, type StoredCredential } from '../../src/auth/secrets';
import { signInWithApiToken, signInWithPersonalAccessToken } from '../../src/auth/signIn';
import type { ExtensionApi } from '../../src/extension';
import { BRIDGE_LABEL } from '../../src/mcp/serverPlan';
import { BRIDGE_TOOL_PREFIX } from '../../src/vscode/ids';
import { EDITOR_LOG_TAG } from '../support/editorLogTag';
import { SecretScanner } from '../unit/hardening/secretScan';
import { closeDiagnosticsPreview, runDiagnosticsReport } from './diagnosticsReport';
import { EXTENSION_ID, extensionApi } from './extensionApi';
import { oauthSignIn } from './sandbox';
import { waitFor } from './waitFor';

const BRIDGE_ID = `${EXTENSION_ID}/${BRIDGE_LABEL}`;
const REFRESHES = 3;

const figure = (text: string) => console.log(`${EDITOR_LOG_TAG}    [hardening] ${text}`);

/** Every file below `root` (a missing folder has none). */
function filesUnder(root: string): string[] {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = join(root, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return [];
    return stat.isDirectory() ? filesUnder(path) : stat.isFile() ? [path] : [];
  });
}

/** Running bridge processes VS Code started from this extension (stdio, not HTTP mode). */
function bridgeProcesses(bridgePath: string): { pid: string; cmdline: string; environ: string }[] {
  const found: { pid: string; cmdline: string; environ: string }[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmdline.split('\0').includes(bridgePath) || cmdline.includes('streamable-http')) continue;
      found.push({ pid, cmdline, environ: readFileSync(`/proc/${pid}/environ`, 'utf8') });
    } catch {
      // The process ended meanwhile, or is not ours to read.
    }
  }
  return found;
}

describe('hardening: secret-leak scan after a full session', function () {
  this.timeout(180_000);
  let api: ExtensionApi;
  let profile: SandboxProfile;
  let sandboxUrl: string;
  const connectionIds: string[] = [];
  const scanner = new SecretScanner();
  const accessTokens = new Set<string>();
  let watch: { dispose(): void } | undefined;

  const control = (path: string, body: unknown) =>
    fetch(`${sandboxUrl}/__sandbox/${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  const remember = (credential: StoredCredential | undefined) => {
    if (!credential) return;
    for (const value of secretValues(credential)) scanner.add(`${credential.kind} secret`, value);
    if (credential.kind === 'oauth') {
      accessTokens.add(credential.accessToken);
      scanner.add('OAuth access token', credential.accessToken);
      scanner.add('OAuth refresh token', credential.refreshToken);
    }
  };

  before(async () => {
    api = await extensionApi();
    sandboxUrl = process.env.AMB_SANDBOX_URL!;
    profile = await loadSandboxProfile(`${sandboxUrl}/.well-known/sandbox.json`);
    scanner.add('OAuth client secret', profile.clientSecret);
    scanner.addBasic(profile.email!, profile.apiToken!);
    scanner.add('personal access token', profile.personalAccessToken);
    // Every value any window writes to secret storage during the session (rotations included).
    watch = api.secrets.onDidChange(
      (key) =>
        void api.secrets
          .get(key)
          .then((value) =>
            key.startsWith('oauth-client-secret/')
              ? scanner.add('client secret', value)
              : remember(parseStoredCredential(value)),
          ),
    );
  });

  after(async () => {
    watch?.dispose();
    await vscode.commands.executeCommand('workbench.mcp.stopServer', BRIDGE_ID);
    for (const id of connectionIds) await api.connections.remove(id);
    await api.secrets.delete(clientSecretKey(profile.clientId));
  });

  it('leaves no token, secret or password anywhere the extension writes or hands out', async () => {
    // 1. Sign in all three ways, as "Connect Atlassian" does.
    await api.secrets.store(clientSecretKey(profile.clientId), profile.clientSecret);
    const oauth = await oauthSignIn(profile);
    const apiToken = await signInWithApiToken({
      siteUrl: profile.siteUrl!,
      email: profile.email!,
      apiToken: profile.apiToken!,
    });
    const pat = await signInWithPersonalAccessToken({
      baseUrl: profile.dataCenterUrl!,
      token: profile.personalAccessToken!,
    });
    for (const { info, credential } of [oauth, apiToken, pat]) {
      remember(credential);
      await api.connections.add(info, credential);
      connectionIds.push(info.id);
    }
    await api.connections.setDefault(oauth.info.id);

    // 2. The bridge, started by VS Code, calls each site through the credentials channel.
    const bridgeSearch = () => vscode.lm.tools.find((t) => t.name === `${BRIDGE_TOOL_PREFIX}jira_search`);
    await waitFor(
      async () => {
        await vscode.commands.executeCommand('workbench.mcp.startServer', BRIDGE_ID, { waitForLiveTools: true });
        return bridgeSearch() !== undefined;
      },
      'the bridge tools',
      60_000,
    );
    const sites = channelConnections(api.connections.list(), api.connections.defaultConnection()?.id);
    const search = async (site: string) => {
      const result = await vscode.lm.invokeTool(bridgeSearch()!.name, {
        input: { jql: 'assignee = currentUser() ORDER BY key ASC', limit: 2, site },
        toolInvocationToken: undefined,
      });
      const text = result.content
        .map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : ''))
        .join('');
      assert.match(text, /\b[A-Z][A-Z0-9]+-\d+\b/, `${site}: ${text.slice(0, 300)}`);
    };
    let toolCalls = 0;
    for (const site of sites) {
      await search(site.name);
      toolCalls++;
    }

    // 3. Several OAuth refreshes: past each token's lifetime, the bridge's next call gets a 401 and a fresh token.
    const oauthSite = sites.find((s) => s.id === oauth.info.id)!.name;
    for (let i = 0; i < REFRESHES; i++) {
      const before = accessTokens.size;
      assert.equal((await control('clock/advance', { ms: 61 * 60_000 })).status, 200);
      await search(oauthSite);
      toolCalls++;
      await waitFor(() => accessTokens.size > before, `refresh ${i + 1} to reach secret storage`);
    }

    // 4. Diagnostics: the report a person pastes into a bug report.
    const reportText = await runDiagnosticsReport();
    assert.match(reportText, /Atlassian/, 'the diagnostics report opened');
    await closeDiagnosticsPreview();

    // 5. Wait until the output channel's file has the session's last refresh (VS Code writes it asynchronously).
    const footprint = api.footprint();
    const channelFile = () =>
      filesUnder(footprint.logs).find(
        (f) =>
          readFileSync(f, 'utf8').includes('Atlassian MCP Bridge') && readFileSync(f, 'utf8').includes('activated'),
      );
    await waitFor(() => {
      const file = channelFile();
      return (
        file !== undefined &&
        (readFileSync(file, 'utf8').match(/Refreshed the access token/g) ?? []).length >= REFRESHES
      );
    }, 'the output channel file to record the refreshes');

    // 6. Scan.
    const windowLogs = dirname(dirname(footprint.logs)); // …/window1: the exthost folder, MCP server logs, the window's own
    const userDir = dirname(dirname(footprint.globalStorage)); // …/User
    const places: [string, string][] = [];
    for (const file of new Set([...filesUnder(windowLogs), ...filesUnder(footprint.logs)]))
      places.push([`log ${file.slice(windowLogs.length + 1)}`, file]);
    for (const file of filesUnder(footprint.globalStorage))
      places.push([`globalStorage ${file.slice(footprint.globalStorage.length + 1)}`, file]);
    if (footprint.workspaceStorage)
      for (const file of filesUnder(footprint.workspaceStorage))
        places.push([`workspaceStorage ${file.slice(footprint.workspaceStorage.length + 1)}`, file]);
    places.push(['user settings.json', join(userDir, 'settings.json')]);
    for (const [name, file] of places) scanner.scan(name, readFileSync(file));
    scanner.scan('globalState (all keys)', JSON.stringify(footprint.globalState));
    assert.ok(footprint.bridgeLaunch, 'the bridge was launched through the provider');
    scanner.scan('bridge definition (command, args, env)', JSON.stringify(footprint.bridgeLaunch));
    const bridgePath = footprint.bridgeLaunch.args.find((a) => a.endsWith('bridge.js'))!;
    const processes = bridgeProcesses(bridgePath);
    assert.ok(processes.length > 0, `a running bridge process for ${bridgePath}`);
    for (const p of processes) {
      assert.match(p.environ, /ATLASSIAN_MCP_BRIDGE_CHANNEL_URL=/, 'the process found is the bridge VS Code launched');
      scanner.scan(`bridge process ${p.pid} environment`, p.environ);
      scanner.scan(`bridge process ${p.pid} arguments`, p.cmdline);
      // Positive control: the one secret the bridge is meant to hold (its per-launch channel secret) is found.
      const positive = new SecretScanner();
      positive.add('channel secret', /ATLASSIAN_MCP_BRIDGE_CHANNEL_SECRET=([^\0]+)/.exec(p.environ)?.[1]);
      positive.scan('environment', p.environ);
      assert.equal(positive.findings.length, 1, 'the scan reads the real environment');
    }
    scanner.scan('diagnostics report', reportText);

    const channel = channelFile()!;
    figure(
      `secret-leak scan after 3 sign-in methods, ${REFRESHES} OAuth refreshes (${accessTokens.size} access tokens), ${toolCalls} bridge tool calls and diagnostics: scanned ${scanner.places} places (output channel ${channel.slice(windowLogs.length + 1)}, ${places.length - 1} log/storage files, settings, ${Object.keys(footprint.globalState).length} globalState keys, bridge definition, ${processes.length} bridge process env + args, diagnostics report), ${scanner.bytes} bytes, ${scanner.secrets} secrets looked for, ${scanner.findings.length} secrets found`,
    );
    assert.equal(scanner.findings.length, 0, scanner.report());
    assert.ok(accessTokens.size >= 1 + REFRESHES, `${accessTokens.size} access tokens seen`);
    assert.ok(
      places.some(([, file]) => file === channel),
      'the output channel file was scanned',
    );
  });
});
