// Header hygiene at the unit level: the client's credentials never pass, the connection's appear
// exactly once, Accept/Content-Type pass untouched, hop-by-hop headers stop at the proxy.
import assert from 'node:assert/strict';
import { clientResponseHeaders, upstreamRequestHeaders } from '../../../src/remote/headers';

const credentials = { authorization: 'Bearer fresh', cloudId: 'cloud-1' };

describe('forwarded headers', () => {
  it('replaces the client credentials with exactly one of each from the connection', () => {
    const out = upstreamRequestHeaders(
      {
        authorization: 'Bearer stale',
        'x-atlassian-cloud-id': 'other-site',
        accept: 'text/event-stream, application/json',
      },
      {},
      credentials,
      10,
    );
    assert.equal(out.authorization, 'Bearer fresh');
    assert.equal(out['x-atlassian-cloud-id'], 'cloud-1');
    assert.equal(Object.keys(out).filter((name) => name.toLowerCase() === 'authorization').length, 1);
  });

  it('sends no cloud id when the connection has none (Data Center) and drops the client one', () => {
    const out = upstreamRequestHeaders({ 'x-atlassian-cloud-id': 'other-site' }, {}, { authorization: 'Token pat' }, 0);
    assert.equal(out['x-atlassian-cloud-id'], undefined);
  });

  it('passes Accept and Content-Type as the client sent them and never invents them', () => {
    const out = upstreamRequestHeaders(
      { accept: 'text/event-stream, application/json', 'content-type': 'application/json' },
      {},
      credentials,
      2,
    );
    assert.equal(out.accept, 'text/event-stream, application/json');
    assert.equal(out['content-type'], 'application/json');
    const bare = upstreamRequestHeaders({}, {}, credentials, 0);
    assert.equal(bare.accept, undefined);
    assert.equal(bare['content-type'], undefined);
    assert.equal(bare['content-length'], undefined);
  });

  it('lets configured extras replace a same-named client header, whatever the case', () => {
    const out = upstreamRequestHeaders({ 'x-custom': 'from-client' }, { 'X-Custom': 'configured' }, credentials, 0);
    assert.deepEqual(
      Object.entries(out).filter(([name]) => name.toLowerCase() === 'x-custom'),
      [['x-custom', 'configured']],
    );
  });

  it('drops hop-by-hop headers, those the Connection header lists, Host, Origin and Expect', () => {
    const out = upstreamRequestHeaders(
      {
        connection: 'keep-alive, x-hop',
        'x-hop': '1',
        'keep-alive': 'timeout=5',
        'transfer-encoding': 'chunked',
        host: '127.0.0.1:1',
        origin: 'http://localhost:2',
        expect: '100-continue',
        'proxy-authorization': 'Basic x',
        'mcp-session-id': 's1',
      },
      {},
      credentials,
      3,
    );
    assert.deepEqual(Object.keys(out).sort(), [
      'authorization',
      'content-length',
      'mcp-session-id',
      'x-atlassian-cloud-id',
    ]);
    assert.equal(out['content-length'], '3');
  });

  it('keeps session headers and drops auth challenges and hop-by-hop headers from responses', () => {
    const out = clientResponseHeaders({
      'mcp-session-id': 's1',
      'content-type': 'text/event-stream',
      'www-authenticate': 'Bearer realm="x"',
      connection: 'keep-alive',
      'transfer-encoding': 'chunked',
    });
    assert.deepEqual(out, { 'mcp-session-id': 's1', 'content-type': 'text/event-stream' });
  });
});
