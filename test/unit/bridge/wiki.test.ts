// Jira wiki markup (Data Center) ↔ Markdown: the constructs issue 12 found half converted.
import assert from 'node:assert/strict';
import { markdownToWiki, wikiToMarkdown } from '../../../src/atlassian/markdown';

describe('Jira wiki markup ↔ Markdown', () => {
  it('reads colours, images with parameters, attachments, titled panels, lists in quotes, named mentions', () => {
    const md = wikiToMarkdown(
      [
        '{color:red}red text{color}',
        '!image.png! !image.jpg|width=300!',
        'see [^report.pdf]',
        '{warning:title=Careful}',
        'body *b*',
        '{warning}',
        '{quote}',
        '* a',
        '** b',
        '{quote}',
        '[Jane Doe|~accountid:5b10ac8d] and [~jdoe]',
        '\\1. not a list \\* star',
      ].join('\n'),
    );
    assert.equal(
      md,
      [
        'red text',
        '![image.png](image.png) ![image.jpg](image.jpg) (width=300)',
        'see [attachment: report.pdf]',
        '> [!WARNING] Careful',
        '> body **b**',
        '> - a',
        '>   - b',
        '@Jane Doe and @jdoe',
        '1. not a list \\* star',
      ].join('\n'),
    );
  });

  it('writes panels, images and attachments back as wiki macros (read → write keeps them)', async () => {
    const wiki = [
      '{warning:title=Careful}',
      'body *b*',
      '{warning}',
      '',
      '{info}',
      'plain',
      '{info}',
      '',
      'see [^file.pdf] and !image.png!',
    ].join('\n');
    assert.equal(await markdownToWiki(wikiToMarkdown(wiki)), wiki);
    assert.equal(await markdownToWiki('> [!CAUTION]\n> hot'), '{warning}\nhot\n{warning}');
    assert.equal(await markdownToWiki('> just a quote'), '{quote}\njust a quote\n{quote}');
  });
});
