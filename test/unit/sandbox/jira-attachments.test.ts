// The sandbox's Jira attachments (multipart upload, metadata, bytes, delete) and project versions.
import assert from 'node:assert/strict';
import { DEFAULT_USER } from '../../sandbox/data/users';
import { startSandbox, type Sandbox } from '../../sandbox/index';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field

describe('sandbox Jira attachments and versions', function () {
  let sandbox: Sandbox;
  let acme: string;
  let dc: string;
  const basic = `Basic ${Buffer.from(`${DEFAULT_USER.email}:${DEFAULT_USER.apiToken}`).toString('base64')}`;
  const auth = (base: string) => (base === dc ? `Bearer ${sandbox.discovery.dataCenter.personalAccessToken}` : basic);

  before(async () => {
    sandbox = await startSandbox();
    acme = sandbox.discovery.sites.find((s) => s.name === 'acme')!.url;
    dc = sandbox.discovery.dataCenter.url;
  });
  after(async () => {
    await sandbox.close();
  });

  function upload(
    base: string,
    key: string,
    files: { name: string; data: Buffer | string; type?: string }[],
    headers: Record<string, string> = { 'X-Atlassian-Token': 'no-check' },
  ) {
    const form = new FormData();
    for (const f of files) form.append('file', new Blob([f.data], f.type ? { type: f.type } : {}), f.name);
    return fetch(`${base}/rest/api/${base === dc ? 2 : 3}/issue/${key}/attachments`, {
      method: 'POST',
      headers: { authorization: auth(base), ...headers },
      body: form,
    });
  }
  const get = (base: string, path: string) => fetch(`${base}${path}`, { headers: { authorization: auth(base) } });

  it('uploads with the XSRF header, lists on the issue, serves metadata and bytes, deletes', async () => {
    const refused = await upload(acme, 'ENG-1', [{ name: 'a.txt', data: 'x' }], {});
    assert.equal(refused.status, 403);
    assert.equal(await refused.text(), 'XSRF check failed');

    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255, 13, 10]);
    const res = await upload(acme, 'ENG-1', [
      { name: 'notes.txt', data: 'hello\r\nworld' },
      { name: 'pic.png', data: bytes, type: 'image/png' },
    ]);
    assert.equal(res.status, 200);
    const added = (await res.json()) as Json[];
    assert.deepEqual(
      added.map((a) => [a.filename, a.mimeType, a.size]),
      [
        ['notes.txt', 'text/plain', 12],
        ['pic.png', 'image/png', bytes.length],
      ],
    );
    for (const a of added) {
      for (const field of ['id', 'self', 'filename', 'author', 'created', 'size', 'mimeType', 'content'])
        assert.ok(field in a, `missing ${field}`);
    }
    assert.equal(added[0]!.author.accountId, DEFAULT_USER.accountId);

    const issue = (await (await get(acme, '/rest/api/3/issue/ENG-1?fields=attachment')).json()) as Json;
    assert.deepEqual(
      issue.fields.attachment.map((a: Json) => a.id),
      added.map((a) => a.id),
    );

    const meta = (await (await get(acme, `/rest/api/3/attachment/${added[1]!.id}`)).json()) as Json;
    assert.equal(meta.filename, 'pic.png');
    const content = await get(acme, `/rest/api/3/attachment/content/${added[1]!.id}?redirect=false`);
    assert.equal(content.status, 200);
    assert.equal(content.headers.get('content-type'), 'image/png');
    assert.deepEqual(Buffer.from(await content.arrayBuffer()), bytes);
    assert.equal(await (await get(acme, `/rest/api/3/attachment/content/${added[0]!.id}`)).text(), 'hello\r\nworld');

    const deleted = await fetch(`${acme}/rest/api/3/attachment/${added[0]!.id}`, {
      method: 'DELETE',
      headers: { authorization: basic },
    });
    assert.equal(deleted.status, 204);
    assert.equal((await get(acme, `/rest/api/3/attachment/${added[0]!.id}`)).status, 404);
    const after = (await (await get(acme, '/rest/api/3/issue/ENG-1?fields=attachment')).json()) as Json;
    assert.deepEqual(
      after.fields.attachment.map((a: Json) => a.id),
      [added[1]!.id],
    );
  });

  it('refuses uploads that are not multipart or carry no file, and unknown issues', async () => {
    const json = await fetch(`${acme}/rest/api/3/issue/ENG-1/attachments`, {
      method: 'POST',
      headers: { authorization: basic, 'X-Atlassian-Token': 'no-check', 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(json.status, 415);
    const form = new FormData();
    form.append('other', 'value');
    const empty = await fetch(`${acme}/rest/api/3/issue/ENG-1/attachments`, {
      method: 'POST',
      headers: { authorization: basic, 'X-Atlassian-Token': 'no-check' },
      body: form,
    });
    assert.equal(empty.status, 400);
    assert.equal((await upload(acme, 'ENG-99999', [{ name: 'a.txt', data: 'x' }])).status, 404);
  });

  it('works on Data Center (REST v2)', async () => {
    const res = await upload(dc, 'LEGACY-1', [{ name: 'dc.json', data: '{"a":1}' }]);
    assert.equal(res.status, 200);
    const [a] = (await res.json()) as Json[];
    assert.equal(a!.mimeType, 'application/json');
    assert.equal(await (await get(dc, `/rest/api/2/attachment/content/${a!.id}`)).text(), '{"a":1}');
  });

  it('lists seeded project versions and creates new ones', async () => {
    const versions = (await (await get(acme, '/rest/api/3/project/ENG/versions')).json()) as Json[];
    assert.deepEqual(
      versions.map((v) => [v.name, v.released]),
      [
        ['1.0', true],
        ['1.1', true],
        ['2.0', false],
      ],
    );
    const project = (await (await get(acme, '/rest/api/3/project/ENG')).json()) as Json;
    assert.deepEqual(
      project.versions.map((v: Json) => v.id),
      versions.map((v) => v.id),
    );

    const create = (body: Json) =>
      fetch(`${acme}/rest/api/3/version`, {
        method: 'POST',
        headers: { authorization: basic, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const res = await create({
      projectId: Number(project.id),
      name: '3.0',
      description: 'Next',
      releaseDate: '2030-01-31',
    });
    assert.equal(res.status, 201);
    const created = (await res.json()) as Json;
    assert.deepEqual(
      {
        name: created.name,
        released: created.released,
        releaseDate: created.releaseDate,
        projectId: created.projectId,
      },
      { name: '3.0', released: false, releaseDate: '2030-01-31', projectId: Number(project.id) },
    );
    assert.ok(typeof created.id === 'string' && typeof created.self === 'string');
    assert.equal((await create({ project: 'ENG', name: '3.0' })).status, 400);
    assert.equal((await create({ project: 'ENG', name: '' })).status, 400);
    assert.equal((await create({ project: 'NOPE', name: 'x' })).status, 400);
    assert.equal((await create({ project: 'ENG', name: '4.0', releaseDate: '31/01/2030' })).status, 400);
    const again = (await (await get(acme, '/rest/api/3/project/ENG/versions')).json()) as Json[];
    assert.equal(again.at(-1)!.name, '3.0');
  });
});
