// Text conversion: ADF → Markdown (reads), Markdown → ADF (Cloud writes), Markdown ↔ Jira wiki
// markup (Data Center).
import assert from 'node:assert/strict';
import { adfToMarkdown, type AdfNode } from '../../../src/atlassian/adf';
import { markdownToAdf, markdownToWiki, wikiToMarkdown } from '../../../src/atlassian/markdown';

const t = (text: string, ...marks: AdfNode['marks'][]): AdfNode => ({
  type: 'text',
  text,
  ...(marks[0] ? { marks: marks[0] } : {}),
});
const p = (...content: AdfNode[]): AdfNode => ({ type: 'paragraph', content });
const li = (...content: AdfNode[]): AdfNode => ({ type: 'listItem', content });
const doc = (...content: AdfNode[]) => adfToMarkdown({ type: 'doc', version: 1, content } as AdfNode);

describe('ADF → Markdown', () => {
  it('keeps headings, marks and links', () => {
    assert.equal(
      doc(
        { type: 'heading', attrs: { level: 2 }, content: [t('Title')] },
        p(
          t('a '),
          t('bold', [{ type: 'strong' }]),
          t(' '),
          t('it', [{ type: 'em' }]),
          t(' '),
          t('gone', [{ type: 'strike' }]),
          t(' '),
          t('x()', [{ type: 'code' }]),
          t(' '),
          t('site', [{ type: 'link', attrs: { href: 'https://example.com/a b' } }]),
        ),
      ),
      '## Title\n\na **bold** _it_ ~~gone~~ `x()` [site](https://example.com/a%20b)',
    );
  });

  it('keeps nested bullet, ordered and task lists', () => {
    const md = doc(
      {
        type: 'bulletList',
        content: [
          li(p(t('one')), {
            type: 'orderedList',
            attrs: { order: 3 },
            content: [li(p(t('three'))), li(p(t('four')), { type: 'bulletList', content: [li(p(t('deep')))] })],
          }),
          li(p(t('two'))),
        ],
      },
      {
        type: 'taskList',
        content: [
          { type: 'taskItem', attrs: { state: 'DONE' }, content: [t('done')] },
          { type: 'taskItem', attrs: { state: 'TODO' }, content: [t('todo')] },
        ],
      },
    );
    assert.equal(md, '- one\n  3. three\n  4. four\n     - deep\n- two\n\n- [x] done\n- [ ] todo');
  });

  it('keeps tables, code blocks, quotes and rules', () => {
    const cell = (type: string, ...content: AdfNode[]): AdfNode => ({ type, content });
    const md = doc(
      {
        type: 'table',
        content: [
          { type: 'tableRow', content: [cell('tableHeader', p(t('A'))), cell('tableHeader', p(t('B')))] },
          { type: 'tableRow', content: [cell('tableCell', p(t('1 | 2'))), cell('tableCell', p(t('x')), p(t('y')))] },
        ],
      },
      { type: 'codeBlock', attrs: { language: 'ts' }, content: [t('const a = 1;\nconst b = 2;')] },
      { type: 'blockquote', content: [p(t('quoted'))] },
      { type: 'rule' },
    );
    assert.equal(
      md,
      '| A | B |\n| --- | --- |\n| 1 \\| 2 | x<br>y |\n\n```ts\nconst a = 1;\nconst b = 2;\n```\n\n> quoted\n\n---',
    );
  });

  it('keeps mentions, emoji, panels, dates, status, cards, media and breaks', () => {
    const md = doc(
      p(
        { type: 'mention', attrs: { id: 'abc', text: '@Ada Lovelace' } },
        t(' '),
        { type: 'mention', attrs: { id: 'def', text: 'Grace' } },
        t(' '),
        { type: 'emoji', attrs: { shortName: ':tada:', text: '🎉' } },
        t(' '),
        { type: 'emoji', attrs: { shortName: ':custom:' } },
      ),
      { type: 'panel', attrs: { panelType: 'warning' }, content: [p(t('Careful'))] },
      p(
        { type: 'date', attrs: { timestamp: '1767225600000' } },
        t(' '),
        { type: 'status', attrs: { text: 'In progress', color: 'blue' } },
        { type: 'hardBreak' },
        { type: 'inlineCard', attrs: { url: 'https://example.com/x' } },
      ),
      { type: 'mediaSingle', content: [{ type: 'media', attrs: { type: 'file', id: 'f1', alt: 'diagram.png' } }] },
      { type: 'expand', attrs: { title: 'More' }, content: [p(t('hidden'))] },
    );
    assert.equal(
      md,
      '@Ada Lovelace @Grace 🎉 :custom:\n\n> [!WARNING]\n> Careful\n\n2026-01-01 [IN PROGRESS]\\\n<https://example.com/x>\n\n[attachment: diagram.png]\n\n**More**\n\nhidden',
    );
  });

  it('escapes Markdown syntax in plain text but leaves identifiers alone', () => {
    assert.equal(doc(p(t('use snake_case and *stars* [x] <b>'))), 'use snake_case and \\*stars\\* \\[x\\] &lt;b>');
    assert.equal(doc(p(t('# not a heading'))), '\\# not a heading');
  });

  it('keeps the text of node types it does not know', () => {
    assert.equal(doc({ type: 'someFutureBlock', content: [p(t('still here'))] }), 'still here');
    assert.equal(adfToMarkdown(null), '');
  });
});

describe('Markdown → ADF (Cloud writes)', () => {
  it('makes headings, lists, code, tables and marks', async () => {
    const adf = await markdownToAdf(
      '# H\n\n- a\n  - b\n\n```js\nx()\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n**bold** [l](https://e.com)',
    );
    assert.deepEqual(
      adf.content.map((n) => n.type),
      ['heading', 'bulletList', 'codeBlock', 'table', 'paragraph'],
    );
    // And back: what a model wrote is what it reads.
    assert.equal(
      adfToMarkdown(adf),
      '# H\n\n- a\n  - b\n\n```js\nx()\n```\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n\n**bold** [l](https://e.com)',
    );
  });
});

describe('Markdown ↔ Jira wiki markup (Data Center)', () => {
  it('writes wiki markup', async () => {
    assert.equal(
      await markdownToWiki(
        '## Steps\n\n1. one\n2. two\n   - sub\n\n**b** _i_ `c` ~~s~~ [l](https://e.com)\n\n```java\nint x;\n```\n\n| h1 | h2 |\n|---|---|\n| a | b |\n\n> quote',
      ),
      'h2. Steps\n\n# one\n# two\n#* sub\n\n*b* _i_ {{c}} -s- [l|https://e.com]\n\n{code:java}\nint x;\n{code}\n\n||h1||h2||\n|a|b|\n\n{quote}\nquote\n{quote}',
    );
  });

  it('reads wiki markup as Markdown', () => {
    assert.equal(
      wikiToMarkdown(
        'h1. Title\n\n*bold* and _it_ with {{code}} and [link|https://e.com] by [~ada]\n* one\n** two\n# first\n||h||\n|c|\n{code:sql}\nSELECT *\n{code}\n{info}\nNote\n{info}\n----',
      ),
      '# Title\n\n**bold** and _it_ with `code` and [link](https://e.com) by @ada\n- one\n  - two\n1. first\n| h |\n| --- |\n| c |\n```sql\nSELECT *\n```\n> [!NOTE]\n> Note\n---',
    );
    assert.equal(wikiToMarkdown(null), '');
  });
});
