import assert from 'node:assert/strict';
import { findTodo, remoteWebUrl, todoDraft, withIssueKey } from '../../../src/issues/create/todo';

describe('TODO comments to Jira issues', () => {
  it('finds TODO and FIXME after comment openers of many languages, not in code or with a key already', () => {
    assert.deepEqual(findTodo('  // TODO: retry the upload'), {
      tag: 'TODO',
      text: 'retry the upload',
      start: 5,
      end: 11,
    });
    assert.equal(findTodo('# FIXME handle empty input')?.text, 'handle empty input');
    assert.equal(findTodo('/* TODO(ada): split this */')?.text, 'split this');
    assert.equal(findTodo(' * TODO cache it')?.text, 'cache it');
    assert.equal(findTodo('<!-- TODO: alt text -->')?.text, 'alt text');
    assert.equal(findTodo('-- TODO index the column')?.text, 'index the column');
    assert.equal(findTodo('const todo = "TODO: not a comment";'), undefined);
    assert.equal(findTodo('// TODO(ENG-12): already tracked'), undefined);
    assert.equal(findTodo('// TODOS are nice'), undefined);
  });

  it('writes the key into the marker, keeping an owner', () => {
    const line = '    // TODO: retry the upload';
    assert.equal(withIssueKey(line, findTodo(line)!, 'ENG-301'), '    // TODO(ENG-301): retry the upload');
    const owned = '# FIXME(ada) handle empty input';
    assert.equal(withIssueKey(owned, findTodo(owned)!, 'OPS-7'), '# FIXME(OPS-7): ada: handle empty input');
    assert.equal(findTodo(withIssueKey(line, findTodo(line)!, 'ENG-301')), undefined, 'offered once only');
  });

  it('drafts the summary from the comment and the description from where it is', () => {
    const draft = todoDraft({
      marker: findTodo('  // TODO: retry the upload')!,
      path: 'src/upload.ts',
      line: 41,
      excerpt: ['function upload() {', '  // TODO: retry the upload', '  send();'],
      excerptStart: 40,
      languageId: 'typescript',
      webUrl: 'https://github.com/acme/app/blob/abc123/src/upload.ts#L42',
    });
    assert.equal(draft.summary, 'retry the upload');
    assert.equal(
      draft.description,
      'TODO in [src/upload.ts:42](https://github.com/acme/app/blob/abc123/src/upload.ts#L42):\n\n```typescript\n' +
        'function upload() {\n  // TODO: retry the upload\n  send();\n```',
    );
    const bare = todoDraft({
      marker: findTodo('# FIXME')!,
      path: 'run.sh',
      line: 0,
      excerpt: ['# FIXME'],
      excerptStart: 0,
      languageId: 'shellscript',
    });
    assert.equal(bare.summary, 'FIXME in run.sh');
    assert.match(bare.description, /^FIXME in `run\.sh:1`:/);
  });

  it('links to the line on GitHub, GitLab and Bitbucket remotes; nothing for unknown hosts', () => {
    assert.equal(
      remoteWebUrl('git@github.com:acme/app.git', 'abc', 'src/a b.ts', 9),
      'https://github.com/acme/app/blob/abc/src/a%20b.ts#L10',
    );
    assert.equal(
      remoteWebUrl('https://gitlab.example.com/group/sub/app.git', 'abc', 'x.py', 0),
      'https://gitlab.example.com/group/sub/app/-/blob/abc/x.py#L1',
    );
    assert.equal(
      remoteWebUrl('ssh://git@bitbucket.org:22/acme/app.git', 'abc', 'x.py', 4),
      'https://bitbucket.org/acme/app/src/abc/x.py#lines-5',
    );
    assert.equal(
      remoteWebUrl('https://user:pw@github.com/acme/app', 'abc', 'x', 0),
      'https://github.com/acme/app/blob/abc/x#L1',
    );
    assert.equal(remoteWebUrl('/srv/git/app.git', 'abc', 'x', 0), undefined);
    assert.equal(remoteWebUrl('https://git.example.com/app.git', 'abc', 'x', 0), undefined);
  });
});
