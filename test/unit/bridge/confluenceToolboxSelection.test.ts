// The Confluence toolbox's place in the toolsets: opt-in, all listed with TOOLSETS=all, writers hidden
// in read-only mode; and the attachment directory setting.
import assert from 'node:assert/strict';
import { loadConfig } from '../../../src/bridge/config';
import { selectTools } from '../../../src/bridge/tooling';
import { ALL_TOOLS } from '../../../src/bridge/tools';
import { READS, WRITES } from './confluenceToolboxNames';

describe('Confluence toolbox: selection', () => {
  it('puts every new tool in an opt-in toolset, lists them all with TOOLSETS=all and hides the writes in read-only mode', () => {
    const defaults = selectTools(ALL_TOOLS, loadConfig({}, [])).map((t) => t.name);
    assert.ok(defaults.length <= 25, String(defaults.length));
    for (const name of [...READS, ...WRITES]) assert.ok(!defaults.includes(name), name);
    const all = selectTools(ALL_TOOLS, loadConfig({ TOOLSETS: 'all' }, [])).map((t) => t.name);
    for (const name of [...READS, ...WRITES]) assert.ok(all.includes(name), name);
    const readOnly = selectTools(ALL_TOOLS, loadConfig({ TOOLSETS: 'all', READ_ONLY_MODE: 'true' }, [])).map(
      (t) => t.name,
    );
    for (const name of READS) assert.ok(readOnly.includes(name), name);
    for (const name of WRITES) assert.ok(!readOnly.includes(name), name);
    const attachments = selectTools(ALL_TOOLS, loadConfig({ TOOLSETS: 'confluence_attachments' }, [])).map(
      (t) => t.name,
    );
    assert.equal(attachments.length, 7);
  });

  it('refuses a relative ATLASSIAN_ATTACHMENT_DIRS', () => {
    assert.throws(() => loadConfig({ ATLASSIAN_ATTACHMENT_DIRS: 'downloads' }, []), /must be absolute/);
  });
});
