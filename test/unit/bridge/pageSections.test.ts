// Finding a section in storage XHTML and writing Markdown as storage, without the bridge around them.
import assert from 'node:assert/strict';
import { markdownToStorage, sectionsOf } from '../../../src/bridge/tools/confluence/pageSections';

describe('page sections in storage XHTML', () => {
  it('ends a section at the next heading of the same or a higher level, keeping sub-headings inside it', async () => {
    const storage = '<h1>A</h1><p>a</p><h2>B</h2><p>b</p><h3>B.1</h3><p>b1</p><h2>C</h2><p>c &amp; <![CDATA[raw]]></p>';
    const byName = new Map((await sectionsOf(storage)).map((s) => [s.heading, storage.slice(s.start, s.end)]));
    assert.equal(
      byName.get('A'),
      '<p>a</p><h2>B</h2><p>b</p><h3>B.1</h3><p>b1</p><h2>C</h2><p>c &amp; <![CDATA[raw]]></p>',
    );
    assert.equal(byName.get('B'), '<p>b</p><h3>B.1</h3><p>b1</p>');
    assert.equal(byName.get('B.1'), '<p>b1</p>');
    assert.equal(byName.get('C'), '<p>c &amp; <![CDATA[raw]]></p>');
  });

  it('finds headings inside page layouts, bounded by their cell, and names the macros a section holds', async () => {
    const storage =
      '<ac:layout><ac:layout-section ac:type="two_equal"><ac:layout-cell><h2>Left</h2><ac:structured-macro ac:name="jira"><ac:parameter ac:name="key">ENG-1</ac:parameter></ac:structured-macro></ac:layout-cell><ac:layout-cell><h2>Right</h2><p>r</p></ac:layout-cell></ac:layout-section></ac:layout>';
    const sections = await sectionsOf(storage);
    const left = sections.find((s) => s.heading === 'Left')!;
    assert.deepEqual(left.macros, ['jira']);
    assert.ok(storage.slice(left.end).startsWith('</ac:layout-cell><ac:layout-cell><h2>Right</h2>'));
  });

  it('writes Markdown as well-formed storage XHTML', async () => {
    const storage = await markdownToStorage('Line one  \nline two\n\n---\n\n- **bold** & <x>\n\n![alt](pic.png)');
    assert.match(storage, /<br\/>/);
    assert.match(storage, /<hr\/>/);
    assert.match(storage, /<strong>bold<\/strong> &amp; &lt;x&gt;|<strong>bold<\/strong> &amp; <x\/?>/);
    assert.match(storage, /<ac:image ac:alt="alt"><ri:attachment ri:filename="pic.png"\/><\/ac:image>/);
    assert.match(
      await markdownToStorage('![](https://example.com/a.png)'),
      /<ac:image><ri:url ri:value="https:\/\/example.com\/a.png"\/><\/ac:image>/,
    );
  });
});
