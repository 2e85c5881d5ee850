import assert from 'node:assert/strict';
import { adfToMarkdown } from '../../../src/atlassian/adf';
import { changelogView } from '../../../src/bridge/issueExtras';
import { textOf } from '../../../src/core/text';

describe('textOf', () => {
  it('writes out strings, numbers and booleans, and gives the fallback for anything else', () => {
    assert.equal(textOf('ENG-1'), 'ENG-1');
    assert.equal(textOf(10001), '10001');
    assert.equal(textOf(false), 'false');
    assert.equal(textOf({ id: 1 }, '?'), '?');
    assert.equal(textOf(['a']), '');
    assert.equal(textOf(null, '∅'), '∅');
    assert.equal(textOf(undefined), '');
  });

  it('keeps "[object Object]" out of what models read when Atlassian sends an object where text was expected', () => {
    const changes = changelogView(
      { histories: [{ created: '2026-01-01', items: [{ field: 'status', fromString: { name: 'Open' }, to: '3' }] }] },
      () => null,
      (d) => textOf(d),
    );
    assert.doesNotMatch(JSON.stringify(changes), /object Object/);
    const panel = adfToMarkdown({
      type: 'doc',
      content: [{ type: 'panel', attrs: { panelType: { odd: true } }, content: [] }],
    });
    assert.doesNotMatch(panel, /object Object/);
  });
});
