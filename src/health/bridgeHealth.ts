// The local MCP bridge's health rows: what it serves and whether VS Code has started it.
import * as l10n from '@vscode/l10n';
import { BRIDGE_LABEL, type ServerPlan } from '../mcp/serverPlan';
import type { BridgeHealth } from './healthTypes';

export function bridgeHealth(plan: ServerPlan, toolCount: number): Omit<BridgeHealth, 'serves'> {
  const bridge = plan.servers.find((s) => s.kind === 'bridge');
  const publishedLabel = l10n.t({
    message: 'Published',
    comment: ['A row label in the Connection view: whether the extension offers this MCP server to VS Code'],
  });
  if (!bridge) {
    return {
      label: BRIDGE_LABEL,
      state: 'notPublished',
      summary: l10n.t('not published'),
      checks: [
        {
          id: 'published',
          label: publishedLabel,
          value: l10n.t('no: connect an Atlassian site first'),
          status: 'info',
        },
      ],
    };
  }
  const env = bridge.env;
  const settings = [
    env.READ_ONLY_MODE === 'true' ? l10n.t('read-only') : l10n.t('read and write'),
    env.TOOLSETS ? l10n.t('toolsets {0}', env.TOOLSETS) : l10n.t('default toolsets'),
    ...(env.ENABLED_TOOLS
      ? [
          l10n.t({
            message: 'only {0}',
            args: [env.ENABLED_TOOLS],
            comment: ['{0}: the only MCP tools enabled, e.g. "jira_get_issue,jira_search"'],
          }),
        ]
      : []),
    ...(env.JIRA_PROJECTS_FILTER
      ? [
          l10n.t({
            message: 'projects {0}',
            args: [env.JIRA_PROJECTS_FILTER],
            comment: ['{0}: the Jira project keys the bridge is limited to'],
          }),
        ]
      : []),
    ...(env.CONFLUENCE_SPACES_FILTER
      ? [
          l10n.t({
            message: 'spaces {0}',
            args: [env.CONFLUENCE_SPACES_FILTER],
            comment: ['{0}: the Confluence space keys the bridge is limited to'],
          }),
        ]
      : []),
  ].join(' · ');
  const running = toolCount > 0;
  const runningText = l10n.t('running · {0} tools', toolCount);
  const statusLabel = l10n.t({
    message: 'Status',
    comment: ['A row label in the Connection view: whether the local MCP server is running'],
  });
  return {
    label: bridge.label,
    state: running ? 'running' : 'notStarted',
    summary: running ? runningText : l10n.t('not started'),
    checks: [
      {
        id: 'published',
        label: publishedLabel,
        value: l10n.t('to VS Code as a local MCP server (stdio)'),
        status: 'ok',
      },
      running
        ? { id: 'status', label: statusLabel, value: runningText, status: 'ok' }
        : {
            id: 'status',
            label: statusLabel,
            value: l10n.t(
              'not started: VS Code starts it when a chat uses its tools (or MCP: List Servers → Start Server)',
            ),
            status: 'info',
          },
      {
        id: 'settings',
        label: l10n.t({
          message: 'Settings',
          comment: ['A row label in the Connection view: the settings the local MCP server runs with'],
        }),
        value: settings,
        status: 'info',
      },
    ],
  };
}
