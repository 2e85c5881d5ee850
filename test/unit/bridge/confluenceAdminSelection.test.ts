// Where the ten Confluence administration tools sit: each in its mcp-atlassian toolset, all listed
// with TOOLSETS=all, none in the default toolset.
import assert from 'node:assert/strict';
import { DEFAULT_TOOLS } from './defaultTools';
import { loadConfig } from '../../../src/bridge/config';
import { selectTools } from '../../../src/bridge/tooling';
import { ALL_TOOLS } from '../../../src/bridge/tools';

const WRITES = ['confluence_copy_page', 'confluence_set_page_restrictions', 'confluence_create_page_from_template'];
const READS = [
  'confluence_get_space_page_tree',
  'confluence_get_page_restrictions',
  'confluence_list_page_templates',
  'confluence_get_page_template',
  'confluence_check_content_permissions',
  'confluence_get_space_permissions',
  'confluence_get_page_views',
];

describe('Confluence administration tools: selection', () => {
  it('TOOLSETS=all lists all ten; each sits in its mcp-atlassian toolset; the default toolset is unchanged', () => {
    const all = selectTools(ALL_TOOLS, loadConfig({ TOOLSETS: 'all' }, [])).map((t) => t.name);
    for (const name of [...WRITES, ...READS]) assert.ok(all.includes(name), name);
    const defaults = selectTools(ALL_TOOLS, loadConfig({}, []));
    assert.equal(defaults.length, DEFAULT_TOOLS.length);
    assert.ok(defaults.every((t) => !WRITES.includes(t.name) && !READS.includes(t.name)));
    const toolset = (set: string) => selectTools(ALL_TOOLS, loadConfig({ TOOLSETS: set }, [])).map((t) => t.name);
    assert.deepEqual(toolset('confluence_templates'), [
      'confluence_list_page_templates',
      'confluence_get_page_template',
      'confluence_create_page_from_template',
    ]);
    assert.deepEqual(toolset('confluence_permissions'), [
      'confluence_check_content_permissions',
      'confluence_get_space_permissions',
    ]);
    assert.deepEqual(toolset('confluence_analytics'), ['confluence_get_page_views']);
    for (const name of [
      'confluence_copy_page',
      'confluence_get_space_page_tree',
      'confluence_get_page_restrictions',
      'confluence_set_page_restrictions',
    ])
      assert.equal(ALL_TOOLS.find((t) => t.name === name)?.toolset, 'confluence_pages');
  });
});
