// The Jira toolbox's place in the toolsets: opt-in, all listed with TOOLSETS=all, writers hidden in
// read-only mode, each in mcp-atlassian's toolset.
import assert from 'node:assert/strict';
import { loadConfig } from '../../../src/bridge/config';
import { selectTools } from '../../../src/bridge/tooling';
import { ALL_TOOLS } from '../../../src/bridge/tools';
import { READS, WRITES } from './jiraToolboxNames';

describe('Jira toolbox: selection', () => {
  it('puts the 14 tools in opt-in toolsets, lists them all with TOOLSETS=all and hides the writers in read-only mode', () => {
    const defaults = selectTools(ALL_TOOLS, loadConfig({}, [])).map((t) => t.name);
    assert.ok(defaults.length <= 25, String(defaults.length));
    const all = selectTools(ALL_TOOLS, loadConfig({ TOOLSETS: 'all' }, [])).map((t) => t.name);
    const readOnly = selectTools(ALL_TOOLS, loadConfig({ TOOLSETS: 'all', READ_ONLY_MODE: 'true' }, [])).map(
      (t) => t.name,
    );
    for (const name of [...READS, ...WRITES]) {
      assert.ok(!defaults.includes(name), `${name} is opt-in`);
      assert.ok(all.includes(name), `${name} is listed with TOOLSETS=all`);
      assert.equal(readOnly.includes(name), READS.includes(name), `${name} in read-only mode`);
    }
    const bySet = (set: string) => selectTools(ALL_TOOLS, loadConfig({ TOOLSETS: set }, [])).map((t) => t.name);
    assert.deepEqual(bySet('jira_development'), [
      'jira_get_issue_development_info',
      'jira_get_issues_development_info',
    ]);
    assert.deepEqual(bySet('jira_project_analysis'), [
      'jira_get_project_epic_hierarchy',
      'jira_get_cross_project_dependencies',
    ]);
    assert.deepEqual(bySet('jira_metrics').sort(), ['jira_get_issue_dates', 'jira_get_issue_sla']);
  });
});
