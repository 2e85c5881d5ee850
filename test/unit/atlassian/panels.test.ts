// Panels map back: what a read turns a panel into (`> [!WARNING] …`) is written as that panel again —
// ADF panels on Cloud, Jira wiki `{info}`/`{note}`/`{tip}`/`{warning}`/`{panel}` on Data Center (which
// Confluence DC turns into the storage macros of the same names) — and the macro inventory that
// guards Markdown writes counts what each representation holds.
import assert from 'node:assert/strict';
import { adfToMarkdown, type AdfNode } from '../../../src/atlassian/adf';
import { adfMacros, lostMacros, storageMacros, wikiMacros } from '../../../src/atlassian/macros';
import { markdownToAdf, markdownToWiki } from '../../../src/atlassian/markdown';
import { storageToMarkdown } from '../../../src/atlassian/storage';
import { wikiToMarkdown } from '../../../src/atlassian/wiki';

const para = (text: string): AdfNode => ({ type: 'paragraph', content: [{ type: 'text', text }] });

describe('panels both ways', () => {
  for (const [panelType, label] of [
    ['info', 'NOTE'],
    ['note', 'IMPORTANT'],
    ['success', 'TIP'],
    ['warning', 'WARNING'],
    ['error', 'CAUTION'],
  ] as const) {
    it(`ADF ${panelType} panel → > [!${label}] → the same ADF panel`, async () => {
      const doc = {
        type: 'doc' as const,
        version: 1 as const,
        content: [{ type: 'panel', attrs: { panelType }, content: [para('Hot surface')] }, para('After')],
      };
      const md = adfToMarkdown(doc);
      assert.equal(md, `> [!${label}]\n> Hot surface\n\nAfter`);
      assert.deepEqual(await markdownToAdf(md), doc);
    });
  }

  it('an alert with a title keeps it as the panel’s bold first line; plain quotes stay quotes', async () => {
    const adf = await markdownToAdf('> [!WARNING] Careful\n> Hot surface\n\n> just a quote');
    assert.deepEqual(adf.content[0], {
      type: 'panel',
      attrs: { panelType: 'warning' },
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'Careful', marks: [{ type: 'strong' }] }] },
        para('Hot surface'),
      ],
    });
    assert.equal(adf.content[1]!.type, 'blockquote');
  });

  for (const macro of ['info', 'note', 'tip', 'warning', 'panel']) {
    it(`Jira wiki {${macro}} with a title → Markdown → the same wiki`, async () => {
      const wiki = `{${macro}:title=Careful}\nbody *b*\n{${macro}}`;
      const md = wikiToMarkdown(wiki);
      assert.match(md, /^> \[!(NOTE|IMPORTANT|TIP|WARNING|PANEL)\] Careful\n> body \*\*b\*\*$/);
      assert.equal(await markdownToWiki(md), wiki);
    });

    it(`Confluence storage ${macro} macro → Markdown → wiki {${macro}} (what DC stores as ${macro} again)`, async () => {
      const storage = `<ac:structured-macro ac:name="${macro}"><ac:parameter ac:name="title">Careful</ac:parameter><ac:rich-text-body><p>Hot</p></ac:rich-text-body></ac:structured-macro>`;
      const wiki = await markdownToWiki(await storageToMarkdown(storage));
      assert.equal(wiki, `{${macro}:title=Careful}\nHot\n{${macro}}`);
      assert.deepEqual(lostMacros(await storageMacros(storage), wikiMacros(wiki)), []);
    });
  }
});

describe('macro inventory', () => {
  const STORAGE = `<p>x</p><ac:structured-macro ac:name="jira"><ac:parameter ac:name="key">A-1</ac:parameter></ac:structured-macro>
<ac:structured-macro ac:name="jira"><ac:parameter ac:name="key">A-2</ac:parameter></ac:structured-macro>
<ac:structured-macro ac:name="info"><ac:rich-text-body><ac:structured-macro ac:name="status"/></ac:rich-text-body></ac:structured-macro>
<ac:structured-macro ac:name="noformat"><ac:plain-text-body><![CDATA[x]]></ac:plain-text-body></ac:structured-macro>`;

  it('counts storage macros (nested too) by name; code and noformat are one', async () => {
    assert.deepEqual(
      [...(await storageMacros(STORAGE))],
      [
        ['jira', 2],
        ['info', 1],
        ['status', 1],
        ['code', 1],
      ],
    );
  });

  it('names what a Markdown write would lose, and nothing when Markdown keeps it', async () => {
    const md = await storageToMarkdown(STORAGE);
    const wiki = await markdownToWiki(md);
    assert.deepEqual(lostMacros(await storageMacros(STORAGE), wikiMacros(wiki)), ['jira ×2', 'status']);
  });

  it('counts ADF extensions by key, and panels, expands, status lozenges', () => {
    const doc: AdfNode = {
      type: 'doc',
      content: [
        { type: 'extension', attrs: { extensionKey: 'jira' } },
        { type: 'bodiedExtension', attrs: { extensionKey: 'details' }, content: [para('x')] },
        { type: 'expand', content: [{ type: 'nestedExpand', content: [para('y')] }] },
        { type: 'panel', content: [{ type: 'paragraph', content: [{ type: 'status', attrs: { text: 'OK' } }] }] },
        { type: 'codeBlock', content: [{ type: 'text', text: 'z' }] },
      ],
    };
    assert.deepEqual(
      [...adfMacros(doc)],
      [
        ['jira', 1],
        ['details', 1],
        ['expand', 2],
        ['panel', 1],
        ['status', 1],
      ],
    );
  });
});
