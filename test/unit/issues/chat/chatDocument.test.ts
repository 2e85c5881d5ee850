import assert from 'node:assert/strict';
import {
  chatDocumentPath,
  chatDocumentScheme,
  ISSUE_SCHEME,
  PAGE_SCHEME,
  parseChatDocument,
  parsePageReference,
  siteSegment,
} from '../../../../src/issues/chat/chatDocument';

describe('chat documents: the read-only URIs issues and pages are attached under', () => {
  it('round-trips an issue and a page through scheme and path', () => {
    const issue = { kind: 'issue', site: 'acme.atlassian.net', key: 'ENG-12' } as const;
    const page = { kind: 'page', site: 'wiki.corp.example:8443', id: '98304' } as const;
    assert.equal(chatDocumentScheme(issue), ISSUE_SCHEME);
    assert.equal(chatDocumentPath(issue), '/acme.atlassian.net/ENG-12.md');
    assert.deepEqual(parseChatDocument(ISSUE_SCHEME, chatDocumentPath(issue)), issue);
    assert.equal(chatDocumentScheme(page), PAGE_SCHEME);
    assert.deepEqual(parseChatDocument(PAGE_SCHEME, chatDocumentPath(page)), page);
  });

  it('names the site by its host, lower-case, with the port', () => {
    assert.equal(siteSegment('https://Acme.atlassian.net/'), 'acme.atlassian.net');
    assert.equal(siteSegment('http://127.0.0.1:4123/jira'), '127.0.0.1:4123');
  });

  it('upper-cases a key typed in lower case', () => {
    assert.deepEqual(parseChatDocument(ISSUE_SCHEME, '/acme.atlassian.net/eng-7.md'), {
      kind: 'issue',
      site: 'acme.atlassian.net',
      key: 'ENG-7',
    });
  });

  it('refuses paths that are not ours: wrong scheme, no .md, extra segments, traversal, bad keys and ids', () => {
    for (const [scheme, path] of [
      [ISSUE_SCHEME, '/acme.atlassian.net/ENG-12'],
      [ISSUE_SCHEME, '/acme.atlassian.net/x/ENG-12.md'],
      [ISSUE_SCHEME, '/../ENG-12.md'],
      [ISSUE_SCHEME, '/acme.atlassian.net/12.md'],
      [ISSUE_SCHEME, '/acme.atlassian.net/ENG-0.md'],
      [PAGE_SCHEME, '/acme.atlassian.net/ENG-12.md'],
      [PAGE_SCHEME, '/acme.atlassian.net/12a.md'],
      [ISSUE_SCHEME, '/user@acme/ENG-1.md'],
      ['file', '/acme.atlassian.net/ENG-12.md'],
    ])
      assert.equal(parseChatDocument(scheme!, path!), undefined, `${scheme}:${path}`);
  });

  it('reads a page id from an id or the URLs Confluence shows', () => {
    assert.deepEqual(parsePageReference(' 98304 '), { id: '98304' });
    assert.deepEqual(parsePageReference('https://acme.atlassian.net/wiki/spaces/ENG/pages/98304/Runbook'), {
      id: '98304',
      host: 'acme.atlassian.net',
    });
    assert.deepEqual(parsePageReference('https://wiki.corp/pages/viewpage.action?pageId=77'), {
      id: '77',
      host: 'wiki.corp',
    });
    assert.deepEqual(parsePageReference('https://acme.atlassian.net/wiki/spaces/ENG/pages/edit-v2/98304'), {
      id: '98304',
      host: 'acme.atlassian.net',
    });
    for (const bad of ['', 'ENG-12', 'javascript:alert(1)', 'https://acme.atlassian.net/wiki/spaces/ENG/overview'])
      assert.equal(parsePageReference(bad), undefined, bad);
  });
});
