import assert from 'node:assert/strict';
import type { ConnectionInfo } from '../../../src/auth/connections';
import { connectionsFor, issueKeyAt, parseIssueReference } from '../../../src/issues/detail/issueReference';

describe('issue references (Open Issue by Key…, vscode:// links)', () => {
  it('reads a key, a browse URL or a board link, and refuses anything else', () => {
    assert.deepEqual(parseIssueReference(' eng-12 '), { key: 'ENG-12', origin: undefined });
    assert.deepEqual(parseIssueReference('https://acme.atlassian.net/browse/ENG-12?focusedCommentId=3'), {
      key: 'ENG-12',
      origin: 'https://acme.atlassian.net',
    });
    assert.deepEqual(parseIssueReference('https://jira.corp.example/jira/secure/RapidBoard.jspa?selectedIssue=OPS-7'), {
      key: 'OPS-7',
      origin: 'https://jira.corp.example',
    });
    for (const bad of ['', 'ENG', 'ENG-0', '12-ENG', 'https://acme.atlassian.net/wiki/x', 'ENG-1 and more'])
      assert.equal(parseIssueReference(bad), undefined, bad);
  });

  it('finds the key under the cursor, and only there', () => {
    const line = '// TODO(ENG-12): see OPS-7 too';
    assert.equal(issueKeyAt(line, 8), 'ENG-12');
    assert.equal(issueKeyAt(line, 14), 'ENG-12');
    assert.equal(issueKeyAt(line, 22), 'OPS-7');
    assert.equal(issueKeyAt(line, 17), undefined);
  });

  it('matches a URL to the connection of its site; a bare key may belong to any', () => {
    const acme = { id: 'a', siteUrl: 'https://acme.atlassian.net' } as ConnectionInfo;
    const dc = { id: 'd', siteUrl: 'https://jira.corp.example/jira' } as ConnectionInfo;
    assert.deepEqual(connectionsFor(parseIssueReference('https://jira.corp.example/jira/browse/X-1')!, [acme, dc]), [
      dc,
    ]);
    assert.deepEqual(connectionsFor(parseIssueReference('X-1')!, [acme, dc]), [acme, dc]);
    assert.deepEqual(connectionsFor(parseIssueReference('https://other.example/browse/X-1')!, [acme, dc]), []);
  });
});
