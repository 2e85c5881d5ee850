import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { branchName, sanitizeRef, slug } from '../../../src/issues/startWork/branchName';

const issue = { key: 'ENG-12', summary: 'Fix the log-in page: crashes on “Ünïcode” names!', type: 'Bug' };

describe('Start Work branch names', () => {
  it('fills the default template with the key and a short slug of the summary', () => {
    assert.equal(branchName('', issue), 'ENG-12-fix-the-log-in-page-crashes-on-unicode');
    assert.equal(branchName('{key}-{summary}', { ...issue, summary: 'Short' }), 'ENG-12-short');
  });

  it('knows {type}, keeps folders, and leaves other text as written', () => {
    assert.equal(branchName('{type}/{key}', issue), 'bug/ENG-12');
    assert.equal(branchName('feature/{key}_{summary}', { ...issue, summary: 'Add SSO' }), 'feature/ENG-12_add-sso');
  });

  it('cuts long summaries at a word, and an empty summary leaves no dangling dash', () => {
    const long = branchName('{key}-{summary}', { ...issue, summary: 'word '.repeat(30) });
    assert.ok(long.length <= 'ENG-12-'.length + 40, long);
    assert.ok(!long.endsWith('-'));
    assert.equal(branchName('{key}-{summary}', { ...issue, summary: '!!!' }), 'ENG-12');
    assert.equal(slug('supercalifragilisticexpialidocious', 10), 'supercalif');
  });

  it('every name it makes is one git accepts', () => {
    const hostile = ['..', 'a..b', '@{up}', 'x.lock', '-lead', 'sp ace', 'tab\there', 'q?*[~^:\\', '/a//b/', 'end.'];
    for (const template of hostile) {
      const name = sanitizeRef(branchName(`{key}/${template}`, issue));
      execFileSync('git', ['check-ref-format', '--branch', name]);
    }
  });
});
