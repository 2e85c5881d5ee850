// Lossless page edits through the real bridge and MCP client against the sandbox, on Confluence Cloud
// and on Data Center (its own host, and under Jira's /wiki): raw storage/ADF round-trips byte for
// byte, a page read as Markdown and written back unchanged keeps every macro (the stored body is
// compared before and after), a Markdown edit that would flatten macros is refused with nothing
// written, and panels and code survive a Markdown edit.
import assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { call, connectStdio, openBridge, type CallResult, type Connected } from './harness';

type Json = Record<string, unknown>;

const MACROS_STORAGE =
  '<p>Intro</p><ac:structured-macro ac:name="jira" ac:schema-version="1"><ac:parameter ac:name="key">ENG-1</ac:parameter></ac:structured-macro>' +
  '<ac:structured-macro ac:name="expand"><ac:parameter ac:name="title">More</ac:parameter><ac:rich-text-body><p>Hidden</p></ac:rich-text-body></ac:structured-macro>' +
  '<ac:structured-macro ac:name="warning"><ac:parameter ac:name="title">Careful</ac:parameter><ac:rich-text-body><p>Hot surface</p></ac:rich-text-body></ac:structured-macro>';

const MACROS_ADF = JSON.stringify({
  type: 'doc',
  version: 1,
  content: [
    { type: 'paragraph', content: [{ type: 'text', text: 'Intro' }] },
    {
      type: 'extension',
      attrs: {
        extensionType: 'com.atlassian.confluence.macro.core',
        extensionKey: 'jira',
        parameters: { macroParams: { key: { value: 'ENG-1' } } },
      },
    },
    {
      type: 'expand',
      attrs: { title: 'More' },
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x' }] }],
    },
    {
      type: 'panel',
      attrs: { panelType: 'warning' },
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Hot' }] }],
    },
  ],
});

const PANELS_STORAGE =
  '<ac:structured-macro ac:name="warning"><ac:parameter ac:name="title">Careful</ac:parameter><ac:rich-text-body><p>Hot surface</p></ac:rich-text-body></ac:structured-macro>' +
  '<ac:structured-macro ac:name="info"><ac:rich-text-body><p>Good to know</p></ac:rich-text-body></ac:structured-macro>' +
  '<ac:structured-macro ac:name="code"><ac:parameter ac:name="language">python</ac:parameter><ac:plain-text-body><![CDATA[print(1)]]></ac:plain-text-body></ac:structured-macro>';

function ok(r: CallResult): Json {
  assert.equal(r.isError, false, r.text);
  return r.json as Json;
}

describe('lossless Confluence page edits through the bridge', function () {
  this.timeout(120_000);
  let sandbox: Sandbox;
  const setups: { name: string; cloud: boolean; c: Connected }[] = [];

  before(async () => {
    sandbox = await startSandbox();
    const site = sandbox.discovery.sites[0]!;
    const pat = sandbox.discovery.dataCenter.personalAccessToken;
    const cloud = await openBridge('stdio', { JIRA_URL: site.url, CONFLUENCE_URL: `${site.url}/wiki` });
    setups.push({ name: 'Cloud', cloud: true, c: cloud.c });
    setups.push({
      name: 'DC (own host)',
      cloud: false,
      c: await connectStdio({
        CONFLUENCE_URL: `${sandbox.url}/confluence-dc/confluence`,
        CONFLUENCE_PERSONAL_TOKEN: pat,
      }),
    });
    setups.push({
      name: 'DC (under /wiki)',
      cloud: false,
      c: await connectStdio({
        JIRA_URL: `${sandbox.url}/dc`,
        JIRA_PERSONAL_TOKEN: pat,
        CONFLUENCE_URL: `${sandbox.url}/dc/wiki`,
        CONFLUENCE_PERSONAL_TOKEN: pat,
      }),
    });
  });
  after(async () => {
    for (const s of setups) await s.c.close();
    await sandbox?.close();
  });

  const each = (title: string, body: (s: (typeof setups)[number]) => Promise<void>) => {
    for (const name of ['Cloud', 'DC (own host)', 'DC (under /wiki)'])
      it(`${name}: ${title}`, () => body(setups.find((s) => s.name === name)!));
  };
  const create = async (c: Connected, content: string, format: string) =>
    String(
      ok(
        await call(c.client, 'confluence_create_page', {
          space_key: 'ENG',
          title: `Lossless ${format} ${Date.now()} ${Math.random()}`,
          content,
          content_format: format,
        }),
      ).id,
    );
  const read = async (c: Connected, id: string, format: string) =>
    ok(await call(c.client, 'confluence_get_page', { page_id: id, content_format: format }));

  each('storage written raw reads back byte for byte, after create and after update', async ({ c }) => {
    const id = await create(c, MACROS_STORAGE, 'storage');
    assert.equal((await read(c, id, 'storage')).content, MACROS_STORAGE);
    const edited = MACROS_STORAGE.replace('ENG-1', 'ENG-2');
    ok(await call(c.client, 'confluence_update_page', { page_id: id, content: edited, content_format: 'storage' }));
    assert.equal((await read(c, id, 'storage')).content, edited);
  });

  it('Cloud: ADF written raw reads back byte for byte, and again after an update with what was read', async () => {
    const { c } = setups[0]!;
    const id = await create(c, MACROS_ADF, 'adf');
    const got = (await read(c, id, 'adf')).content;
    assert.equal(JSON.stringify(got), MACROS_ADF);
    ok(
      await call(c.client, 'confluence_update_page', {
        page_id: id,
        content: JSON.stringify(got),
        content_format: 'adf',
      }),
    );
    assert.equal(JSON.stringify((await read(c, id, 'adf')).content), MACROS_ADF);
  });

  each('a page read as Markdown and written back unchanged keeps every macro', async ({ c, cloud }) => {
    const [raw, format] = cloud ? [MACROS_ADF, 'adf'] : [MACROS_STORAGE, 'storage'];
    const id = await create(c, raw, format);
    const before = await read(c, id, format);
    const markdown = String((await read(c, id, 'markdown')).content);
    assert.match(markdown, /Jira issue ENG-1|\[jira/);
    const updated = ok(await call(c.client, 'confluence_update_page', { page_id: id, content: markdown }));
    assert.equal(updated.version, Number(before.version) + 1);
    const after = await read(c, id, format);
    assert.equal(cloud ? JSON.stringify(after.content) : after.content, raw);
  });

  each('a Markdown edit that would flatten macros is refused and nothing is written', async ({ c, cloud }) => {
    const [raw, format] = cloud ? [MACROS_ADF, 'adf'] : [MACROS_STORAGE, 'storage'];
    const id = await create(c, raw, format);
    const markdown = String((await read(c, id, 'markdown')).content);
    const refused = await call(c.client, 'confluence_update_page', {
      page_id: id,
      content: `${markdown}\n\nOne more line.`,
    });
    assert.equal(refused.isError, true, refused.text);
    assert.match(refused.text, /macros that Markdown cannot carry \(expand, jira\)/);
    assert.match(refused.text, /content_format "(adf|storage)"/);
    assert.match(refused.text, /confluence_update_page_section/);
    const after = await read(c, id, format);
    assert.equal(after.version, 1, 'no new version');
    assert.equal(cloud ? JSON.stringify(after.content) : after.content, raw);
  });

  each('panels and code survive a Markdown edit (panels map back)', async ({ c, cloud }) => {
    const id = cloud
      ? await create(
          c,
          '> [!WARNING] Careful\n> Hot surface\n\n> [!NOTE]\n> Good to know\n\n```python\nprint(1)\n```',
          'markdown',
        )
      : await create(c, PANELS_STORAGE, 'storage');
    const markdown = String((await read(c, id, 'markdown')).content);
    assert.match(markdown, /> \[!WARNING\]/);
    assert.match(markdown, /> \[!NOTE\]/);
    ok(await call(c.client, 'confluence_update_page', { page_id: id, content: `${markdown}\n\nOne more line.` }));
    const after = await read(c, id, cloud ? 'adf' : 'storage');
    const text = JSON.stringify(after.content);
    if (cloud) {
      assert.match(text, /"panelType":"warning"/);
      assert.match(text, /"panelType":"info"/);
      assert.match(text, /"language":"python"/);
    } else {
      for (const name of ['warning', 'info', 'code']) assert.match(text, new RegExp(`ac:name=\\\\"${name}\\\\"`));
    }
    assert.match(text, /One more line/);
  });
});
