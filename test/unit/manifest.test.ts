import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_CALLBACK_PORT } from '../../src/auth/loopback';
import { COMMANDS, CONTEXT_KEYS, MCP_PROVIDER_ID, VIEWS } from '../../src/vscode/ids';

const ROOT = resolve(__dirname, '..', '..');
const raw = readFileSync(resolve(ROOT, 'package.json'), 'utf8');
const nls = JSON.parse(readFileSync(resolve(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
/** The manifest as VS Code shows it: every %key% replaced from package.nls.json. */
const manifest = JSON.parse(raw, (_key, value: unknown) =>
  typeof value === 'string' && /^%[\w.-]+%$/.test(value) ? (nls[value.slice(1, -1)] ?? value) : value,
);

describe('package.json manifest', () => {
  it('names the product and the engine the card asks for', () => {
    assert.equal(manifest.name, 'atlassian-mcp-bridge');
    assert.equal(manifest.displayName, 'Atlassian MCP Bridge');
    assert.equal(manifest.engines.vscode, '^1.101.0');
    assert.equal(manifest.main, './dist/extension.js');
  });

  it('declares exactly the commands, views and MCP provider the code uses', () => {
    assert.deepEqual(
      manifest.contributes.commands.map((c: { command: string }) => c.command).sort(),
      Object.values(COMMANDS).sort(),
    );
    assert.deepEqual(
      manifest.contributes.views.atlassianMcpBridge.map((v: { id: string }) => v.id).sort(),
      Object.values(VIEWS).sort(),
    );
    assert.deepEqual(
      manifest.contributes.mcpServerDefinitionProviders.map((p: { id: string }) => p.id),
      [MCP_PROVIDER_ID],
    );
  });

  it('gives both views a signed-out welcome with a Connect Atlassian button', () => {
    for (const view of Object.values(VIEWS)) {
      const welcome = manifest.contributes.viewsWelcome.find((w: { view: string }) => w.view === view);
      assert.ok(welcome, `welcome for ${view}`);
      assert.match(
        welcome.contents,
        new RegExp(`\\[Connect Atlassian\\]\\(command:${COMMANDS.connect.replace('.', '\\.')}\\)`),
      );
      assert.equal(welcome.when, `!${CONTEXT_KEYS.connected}`);
    }
  });

  it('finds "Connect Atlassian" by that title in the palette', () => {
    const connect = manifest.contributes.commands.find((c: { command: string }) => c.command === COMMANDS.connect);
    assert.equal(connect.title, 'Connect Atlassian');
  });

  it('lets the Command Palette find the commands by "jira" and "confluence": category Atlassian, product names in titles', () => {
    const hidden = new Set(
      manifest.contributes.menus.commandPalette
        .filter((m: { when: string }) => m.when === 'false')
        .map((m: { command: string }) => m.command),
    );
    const palette = manifest.contributes.commands.filter((c: { command: string }) => !hidden.has(c.command));
    const shown = palette.map((c: { category?: string; title: string }) =>
      c.category ? `${c.category}: ${c.title}` : c.title,
    );
    for (const [command, text] of palette.map((c: { command: string }, i: number) => [c.command, shown[i]]))
      if (command !== COMMANDS.connect) assert.match(text, /^Atlassian: /, command);
    assert.ok(shown.filter((t: string) => /jira/i.test(t)).length >= 4, shown.join(' | '));
    assert.ok(
      shown.some((t: string) => /confluence/i.test(t)),
      shown.join(' | '),
    );
  });

  it('completes each walkthrough step on a context key the extension sets, so earlier work shows as done', () => {
    const keys = Object.values(CONTEXT_KEYS).map((k) => `onContext:${k}`);
    for (const step of manifest.contributes.walkthroughs[0].steps)
      assert.ok(
        step.completionEvents.some((e: string) => keys.includes(e)),
        `${step.id}: ${step.completionEvents.join(', ')}`,
      );
  });

  it("defaults the OAuth callback to a port away from VS Code's own sign-in and the ephemeral ranges, as the code does", () => {
    const port = manifest.contributes.configuration.properties['atlassianMcpBridge.oauth.redirectPort'].default;
    assert.equal(port, DEFAULT_CALLBACK_PORT);
    // Linux hands out 32768–60999 for outgoing connections, Windows and macOS 49152–65535.
    assert.ok(port >= 1024 && port < 32768, `${port} is in an ephemeral port range`);
    assert.notEqual(port, 33418, "VS Code's own MCP sign-in listens on 33418");
  });

  it('keeps every user-facing string in package.nls.json, and every key there is used', () => {
    const used = [...raw.matchAll(/"%([\w.-]+)%"/g)].map((m) => m[1]!);
    for (const key of used) assert.ok(key in nls, `package.nls.json has ${key}`);
    for (const key of Object.keys(nls)) assert.ok(used.includes(key), `${key} is used`);
    assert.ok(used.length > 50);
  });

  it('describes every setting in Markdown', () => {
    for (const [name, setting] of Object.entries(
      manifest.contributes.configuration.properties as Record<string, { markdownDescription?: string }>,
    )) {
      assert.ok(setting.markdownDescription && !setting.markdownDescription.startsWith('%'), name);
    }
  });

  it('has a walkthrough whose steps and media exist: connect, issues, agent mode, remote server', () => {
    const [walkthrough] = manifest.contributes.walkthroughs;
    assert.deepEqual(
      walkthrough.steps.map((s: { id: string }) => s.id),
      ['connect', 'issues', 'agent', 'remote'],
    );
    for (const step of walkthrough.steps)
      assert.ok(existsSync(resolve(ROOT, step.media.markdown)), step.media.markdown);
  });

  it('is ready for the Marketplace: icon, banner, categories, keywords, license', () => {
    assert.ok(existsSync(resolve(ROOT, manifest.icon)));
    assert.ok(manifest.galleryBanner.color);
    assert.ok(manifest.categories.length > 0 && manifest.keywords.length >= 5);
    assert.equal(manifest.license, 'MIT');
    assert.ok(existsSync(resolve(ROOT, 'CHANGELOG.md')) && existsSync(resolve(ROOT, 'LICENSE')));
  });

  it('points at icons that exist', () => {
    for (const container of manifest.contributes.viewsContainers.activitybar) {
      assert.ok(existsSync(resolve(ROOT, container.icon)), container.icon);
    }
  });
});
