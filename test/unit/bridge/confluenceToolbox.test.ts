// The Confluence toolbox (attachments, inline comments, page diff, section update) driven by the
// real MCP SDK client over stdio and HTTP against the sandbox, on Cloud and on Data Center (its own
// host, and under Jira's /wiki): each effect is read back, files stay inside the allowed directory,
// and the space filter and read-only mode hold before anything is sent.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { seedInlineComment } from '../../sandbox/confluence/files';
import { READS, WRITES } from './confluenceToolboxNames';
import { call, connectHttp, connectStdio, openBridge, startHttpBridgeProcess, type Connected } from './harness';

type Json = Record<string, unknown>;

// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

const MACROS =
  '<ac:structured-macro ac:name="toc" ac:schema-version="1"><ac:parameter ac:name="maxLevel">2</ac:parameter></ac:structured-macro>';
const JIRA_MACRO =
  '<ac:structured-macro ac:name="jira" ac:schema-version="1"><ac:parameter ac:name="key">ENG-1</ac:parameter></ac:structured-macro>';
const INFO_MACRO =
  '<ac:structured-macro ac:name="info" ac:schema-version="1"><ac:rich-text-body><p>Info panel body</p></ac:rich-text-body></ac:structured-macro>';
const BEFORE = `<h1>Intro</h1><p>Keep this intro text.</p>${MACROS}<h2>Status</h2>`;
const AFTER = `<h2>Notes</h2><p>Notes stay.</p>${INFO_MACRO}`;
const STORAGE = `${BEFORE}<p>Old status text.</p>${JIRA_MACRO}${AFTER}`;

describe('Confluence toolbox through the bridge', function () {
  this.timeout(180_000);
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(async () => {
    await sandbox?.close();
  });

  interface Setup {
    readonly name: string;
    readonly site: string;
    readonly open: (
      mode: 'stdio' | 'http',
      env: Record<string, string>,
    ) => Promise<Connected & { stop(): Promise<void> }>;
  }

  const setups = (): Setup[] => {
    const pat = sandbox.discovery.dataCenter.personalAccessToken;
    const dc = (urls: Record<string, string>) => async (mode: 'stdio' | 'http', env: Record<string, string>) => {
      if (mode === 'stdio') {
        const tokens: Record<string, string> = { CONFLUENCE_PERSONAL_TOKEN: pat };
        if (urls.JIRA_URL) tokens.JIRA_PERSONAL_TOKEN = pat;
        const c = await connectStdio({ ...urls, ...env, ...tokens });
        return { ...c, stop: () => c.close() };
      }
      const bridge = await startHttpBridgeProcess({ ...urls, ...env });
      const c = await connectHttp(bridge.url, { Authorization: `Token ${pat}` });
      return { ...c, stop: async () => (await c.close(), await bridge.stop()) };
    };
    const cloud = sandbox.discovery.sites[0]!;
    return [
      {
        name: 'Cloud',
        site: cloud.name,
        open: async (mode, env) => {
          const { c, bridge } = await openBridge(mode, { CONFLUENCE_URL: `${cloud.url}/wiki`, ...env });
          return { ...c, stop: async () => (await c.close(), await bridge?.stop()) };
        },
      },
      {
        name: 'DC own host',
        site: 'dc',
        open: dc({ CONFLUENCE_URL: `${sandbox.url}/confluence-dc/confluence` }),
      },
      {
        name: 'DC under /wiki',
        site: 'dc',
        open: dc({ JIRA_URL: `${sandbox.url}/dc`, CONFLUENCE_URL: `${sandbox.url}/dc/wiki` }),
      },
    ];
  };

  const ok = async (c: Connected, name: string, args: Json) => {
    const r = await call(c.client, name, args);
    assert.equal(r.isError, false, `${name}: ${r.text}`);
    return r;
  };

  for (const mode of ['stdio', 'http'] as const) {
    for (const which of ['Cloud', 'DC own host', 'DC under /wiki']) {
      it(`${which} over ${mode}: every tool, with its effect read back`, async () => {
        const setup = setups().find((s) => s.name === which)!;
        const dir = realpathSync(mkdtempSync(join(tmpdir(), 'amb-files-')));
        const outside = mkdtempSync(join(tmpdir(), 'amb-outside-'));
        writeFileSync(join(dir, 'notes.txt'), 'Release notes\n');
        writeFileSync(join(dir, 'pixel.png'), PNG);
        writeFileSync(join(dir, 'data.csv'), 'a,b\n1,2\n');
        writeFileSync(join(outside, 'secret.txt'), 'not for upload');
        symlinkSync(join(outside, 'secret.txt'), join(dir, 'link.txt'));
        const c = await setup.open(mode, { TOOLSETS: 'all', ATLASSIAN_ATTACHMENT_DIRS: dir });
        try {
          const names = (await c.client.listTools()).tools.map((t) => t.name);
          for (const name of [...READS, ...WRITES]) assert.ok(names.includes(name), name);

          const created = await ok(c, 'confluence_create_page', {
            space_key: 'ENG',
            title: `Toolbox ${mode} ${which} ${Date.now()}`,
            content: STORAGE,
            content_format: 'storage',
          });
          const id = String((created.json as Json).id);

          // Section update: only the Status section changes; everything around it is byte-identical.
          const section = await ok(c, 'confluence_update_page_section', {
            page_id: id,
            heading_text: ' status ',
            new_content: 'New **status** text.',
          });
          assert.deepEqual((section.json as Json).replaced_macros, ['jira']);
          const storage = String(
            ((await ok(c, 'confluence_get_page', { page_id: id, content_format: 'storage' })).json as Json).content,
          );
          assert.ok(storage.startsWith(BEFORE), storage);
          assert.ok(storage.endsWith(AFTER), storage);
          assert.match(storage, /<strong>status<\/strong>/);
          assert.ok(!storage.includes('Old status text'), storage);
          const missingHeading = await call(c.client, 'confluence_update_page_section', {
            page_id: id,
            heading_text: 'Nope',
            new_content: 'x',
          });
          assert.equal(missingHeading.isError, true);
          assert.match(missingHeading.text, /no heading "Nope".*"Intro", "Status", "Notes"/);

          const diff = await ok(c, 'confluence_get_page_diff', {
            page_id: id,
            from_version: 1,
            to_version: 2,
            context_lines: 10,
          });
          const d = diff.json as Json;
          assert.equal(d.changed, true);
          assert.match(String(d.diff), /^-Old status text\.$/m);
          assert.match(String(d.diff), /^\+New \*\*status\*\* text\.$/m);
          assert.match(String(d.diff), /^ Keep this intro text\.$/m);
          const storageDiff = (
            await ok(c, 'confluence_get_page_diff', { page_id: id, from_version: 1, content_format: 'storage' })
          ).json as Json;
          assert.match(String(storageDiff.diff), /^-.*ac:name="jira"/m);
          const badVersion = await call(c.client, 'confluence_get_page_diff', { page_id: id, from_version: 9 });
          assert.match(badVersion.text, /versions 1 to 2, not 9/);

          // Uploads: from the allowed directory only.
          await ok(c, 'confluence_upload_attachment', { content_id: id, file_path: 'notes.txt', comment: 'first' });
          const many = await ok(c, 'confluence_upload_attachments', {
            content_id: id,
            file_paths: [join(dir, 'pixel.png'), 'data.csv'],
          });
          assert.equal(((many.json as Json).attachments as Json[]).length, 2);
          await ok(c, 'confluence_upload_attachment', {
            content_id: id,
            content_base64: Buffer.from('inline text').toString('base64'),
            filename: 'inline.txt',
          });
          for (const path of [join(outside, 'secret.txt'), 'link.txt', '../x.txt']) {
            const refused = await call(c.client, 'confluence_upload_attachment', { content_id: id, file_path: path });
            assert.equal(refused.isError, true, path);
            assert.match(refused.text, /outside the directories|no file at/, refused.text);
          }

          // The same file name again is a new version of that attachment, not a second one.
          writeFileSync(join(dir, 'data.csv'), 'a,b\n3,4\n');
          const again = (await ok(c, 'confluence_upload_attachment', { content_id: id, file_path: 'data.csv' }))
            .json as Json;
          assert.equal((again.attachments as Json[])[0]!.version, 2);
          const listed = (await ok(c, 'confluence_get_attachments', { content_id: id })).json as Json;
          const files = listed.attachments as Json[];
          assert.deepEqual(files.map((f) => f.filename).sort(), ['data.csv', 'inline.txt', 'notes.txt', 'pixel.png']);
          const notes = files.find((f) => f.filename === 'notes.txt')!;
          assert.equal(notes.comment, 'first');
          assert.equal(notes.size, 14);
          const images = (await ok(c, 'confluence_get_attachments', { content_id: id, media_type: 'image/png' }))
            .json as Json;
          assert.deepEqual(
            (images.attachments as Json[]).map((f) => f.filename),
            ['pixel.png'],
          );

          // Downloads: a file in the allowed directory and a resource link, not bytes.
          const got = (await c.client.callTool({
            name: 'confluence_download_attachment',
            arguments: { attachment_id: String(notes.id) },
          })) as { content: Json[]; isError?: boolean };
          assert.equal(got.isError ?? false, false, JSON.stringify(got));
          const link = got.content.find((b) => b.type === 'resource_link')!;
          const path = fileURLToPath(String(link.uri));
          assert.ok(path.startsWith(dir), path);
          assert.equal(readFileSync(path, 'utf8'), 'Release notes\n');
          assert.ok(!JSON.stringify(got).includes(Buffer.from('Release notes\n').toString('base64')));
          const inline = (await c.client.callTool({
            name: 'confluence_download_attachment',
            arguments: { attachment_id: String(notes.id), inline: true },
          })) as { content: Json[] };
          const resource = inline.content.find((b) => b.type === 'resource')!.resource as Json;
          assert.equal(resource.text, 'Release notes\n');

          const all = (await c.client.callTool({
            name: 'confluence_download_content_attachments',
            arguments: { content_id: id },
          })) as { content: Json[] };
          const links = all.content.filter((b) => b.type === 'resource_link');
          assert.equal(links.length, 4);
          const png = links.find((l) => l.name === 'pixel.png')!;
          assert.deepEqual(readFileSync(fileURLToPath(String(png.uri))), PNG);
          if (which === 'Cloud') {
            // Cloud's downloads went through its media host, and the site's credentials did not.
            const hops = sandbox.log.entries({ path: /^\/_media\/file\// });
            assert.ok(hops.length >= 6, `media host requests: ${hops.length}`);
            assert.deepEqual([...new Set(hops.map((h) => `${h.authKind} ${h.status}`))], ['none 200']);
          }

          const pictures = (await c.client.callTool({
            name: 'confluence_get_page_images',
            arguments: { content_id: id },
          })) as { content: Json[] };
          const image = pictures.content.find((b) => b.type === 'image')!;
          assert.equal(image.mimeType, 'image/png');
          assert.equal(image.data, PNG.toString('base64'));

          await ok(c, 'confluence_delete_attachment', { attachment_id: String(notes.id) });
          const after = (await ok(c, 'confluence_get_attachments', { content_id: id })).json as Json;
          assert.ok(!(after.attachments as Json[]).some((f) => f.id === notes.id));
          const gone = await call(c.client, 'confluence_download_attachment', { attachment_id: String(notes.id) });
          assert.equal(gone.isError, true);
          assert.match(gone.text, new RegExp(`Attachment ${String(notes.id)} was not found`));
          const missingPage = await call(c.client, 'confluence_get_attachments', { content_id: '999999999' });
          assert.match(missingPage.text, /Page 999999999 was not found/);

          // Inline comments: added on Cloud; Data Center says it has no such REST call and still reads them.
          if (which === 'Cloud') {
            const added = await ok(c, 'confluence_add_inline_comment', {
              page_id: id,
              body: 'Is this **right**?',
              text_selection: 'Keep this intro text',
            });
            assert.equal((added.json as Json).highlighted_text, 'Keep this intro text');
            const absent = await call(c.client, 'confluence_add_inline_comment', {
              page_id: id,
              body: 'x',
              text_selection: 'words not on the page',
            });
            assert.match(absent.text, /does not appear/);
          } else {
            const refused = await call(c.client, 'confluence_add_inline_comment', {
              page_id: id,
              body: 'x',
              text_selection: 'Keep this intro text',
            });
            assert.equal(refused.isError, true);
            assert.match(refused.text, /does not exist on Confluence Data Center/);
            seedInlineComment(setup.site, id, 'Keep this intro text', '<p>Is this <strong>right</strong>?</p>');
          }
          const inlineComments = (await ok(c, 'confluence_get_inline_comments', { page_id: id })).json as Json;
          const [first] = inlineComments.comments as Json[];
          assert.equal(first!.highlighted_text, 'Keep this intro text');
          assert.match(String(first!.body), /Is this \*\*right\*\*\?/);
          assert.equal(first!.resolution, 'open');
        } finally {
          await c.stop();
        }
      });
    }
  }

  it('in read-only mode the bridge lists only the readers and refuses the writers by name, sending nothing', async () => {
    const c = await setups()[1]!.open('stdio', { TOOLSETS: 'all', READ_ONLY_MODE: 'true' });
    try {
      const names = (await c.client.listTools()).tools.map((t) => t.name);
      for (const name of READS) assert.ok(names.includes(name), name);
      for (const name of WRITES) assert.ok(!names.includes(name), name);
      sandbox.log.clear();
      const r = await call(c.client, 'confluence_delete_attachment', { attachment_id: 'att1' });
      assert.equal(r.isError, true);
      assert.match(r.text, /read-only mode \(READ_ONLY_MODE\)/);
      assert.equal(sandbox.log.count({}), 0);
    } finally {
      await c.stop();
    }
  });

  it('without an allowed directory, downloads and path uploads say what to set, and nothing is fetched', async () => {
    const setup = setups()[0]!;
    const c = await setup.open('stdio', { TOOLSETS: 'all' });
    try {
      const page = String(
        (
          (await ok(c, 'confluence_create_page', { space_key: 'ENG', title: `No dir ${Date.now()}`, content: 'x' }))
            .json as Json
        ).id,
      );
      sandbox.log.clear();
      const download = await call(c.client, 'confluence_download_content_attachments', { content_id: page });
      assert.match(download.text, /needs a directory the operator allows.*ATLASSIAN_ATTACHMENT_DIRS/);
      const upload = await call(c.client, 'confluence_upload_attachment', {
        content_id: page,
        file_path: '/etc/hosts',
      });
      assert.match(upload.text, /needs a directory the operator allows/);
      assert.equal(sandbox.log.count({ path: /attachment/ }), 0);
    } finally {
      await c.stop();
    }
  });

  for (const mode of ['stdio', 'http'] as const) {
    it(`CONFLUENCE_SPACES_FILTER over ${mode}: refused on the object Confluence returns, before any change or download`, async () => {
      const setup = setups()[0]!;
      const dir = realpathSync(mkdtempSync(join(tmpdir(), 'amb-files-')));
      writeFileSync(join(dir, 'a.txt'), 'a');
      const full = await setup.open(mode, { TOOLSETS: 'all', ATLASSIAN_ATTACHMENT_DIRS: dir });
      const filtered = await setup.open(mode, {
        TOOLSETS: 'all',
        ATLASSIAN_ATTACHMENT_DIRS: dir,
        CONFLUENCE_SPACES_FILTER: 'OPS',
      });
      try {
        const id = String(
          (
            (
              await ok(full, 'confluence_create_page', {
                space_key: 'ENG',
                title: `Filtered ${mode} ${Date.now()}`,
                content: STORAGE,
                content_format: 'storage',
              })
            ).json as Json
          ).id,
        );
        await ok(full, 'confluence_upload_attachment', { content_id: id, file_path: 'a.txt' });
        const att = String(
          (((await ok(full, 'confluence_get_attachments', { content_id: id })).json as Json).attachments as Json[])[0]!
            .id,
        );
        sandbox.log.clear();
        const outside = /outside this bridge's allowed spaces \(OPS; CONFLUENCE_SPACES_FILTER\)/;
        const calls: [string, Json][] = [
          ['confluence_get_attachments', { content_id: id }],
          ['confluence_download_attachment', { attachment_id: att }],
          ['confluence_download_content_attachments', { content_id: id }],
          ['confluence_get_page_images', { content_id: id }],
          ['confluence_upload_attachment', { content_id: id, file_path: 'a.txt' }],
          ['confluence_upload_attachments', { content_id: id, file_paths: ['a.txt'] }],
          ['confluence_delete_attachment', { attachment_id: att }],
          ['confluence_get_inline_comments', { page_id: id }],
          ['confluence_add_inline_comment', { page_id: id, body: 'x', text_selection: 'Keep this intro text' }],
          ['confluence_get_page_diff', { page_id: id, from_version: 1 }],
          ['confluence_update_page_section', { page_id: id, heading_text: 'Status', new_content: 'x' }],
        ];
        for (const [name, args] of calls) {
          const r = await call(filtered.client, name, args);
          assert.equal(r.isError, true, `${name}: ${r.text}`);
          assert.match(r.text, outside, `${name}: ${r.text}`);
        }
        const sent = sandbox.log
          .entries()
          .filter((e) => e.method !== 'GET' || /download|\/attachments$|inline-comments|child\//.test(e.path));
        assert.deepEqual(
          sent.map((e) => `${e.method} ${e.path}`),
          [],
        );
      } finally {
        await full.stop();
        await filtered.stop();
      }
    });
  }
});
