import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

/** Exactly what the VSIX may contain: the bundles, icons, manifest and docs. */
const EXPECTED_FILES = [
  'CHANGELOG.md',
  'LICENSE',
  'README.marketplace.md',
  'dist/bridge-diff.js',
  'dist/bridge-html.js',
  'dist/bridge-markdown.js',
  'dist/bridge-proxy.js',
  'dist/bridge-server.js',
  'dist/bridge.js',
  'dist/chatRender.js',
  'dist/connectFlow.js',
  'dist/createIssuePanel.js',
  'dist/diagnosticsRun.js',
  'dist/extension.js',
  'dist/forwardingProxy.js',
  'dist/issue-card.js',
  'dist/issueDetailPanel.js',
  'dist/jqlPicker.js',
  'dist/mcpJsonEdit.js',
  'dist/oauth4webapi.js',
  'dist/probe.js',
  'dist/undici.js',
  'dist/webview/createIssue.js',
  'dist/webview/issueDetail.js',
  'l10n/bundle.l10n.json',
  'media/atlassian-activitybar.svg',
  'media/icon.png',
  'media/walkthrough/agent.md',
  'media/walkthrough/connect.md',
  'media/walkthrough/issues.md',
  'media/walkthrough/remote.md',
  'media/webview/createIssue.css',
  'media/webview/issueDetail.css',
  'package.json',
  'package.nls.json',
];

describe('the VSIX', () => {
  it('ships only what runs (vsce ls against the expected list)', function () {
    this.timeout(60_000);
    const listed = execFileSync(
      resolve(ROOT, 'node_modules/.bin/vsce'),
      ['ls', '--no-dependencies', '--readme-path', 'README.marketplace.md'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    )
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .sort();
    assert.deepEqual(listed, EXPECTED_FILES);
  });

  it('is under 2 MB', function () {
    const vsix = resolve(ROOT, 'out/atlassian-mcp-bridge.vsix');
    // `npm test` packages before this layer; `npm run test:unit` alone may not have a VSIX yet.
    if (!existsSync(vsix)) this.skip();
    const bytes = statSync(vsix).size;
    console.log(`[packaging] VSIX ${(bytes / 1024).toFixed(0)} KiB of 2048 KiB allowed`);
    assert.ok(bytes < 2 * 1024 * 1024);
  });
});
