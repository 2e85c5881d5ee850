// Labels and short texts the health rows share.
import * as l10n from '@vscode/l10n';
import type { AuthMethod } from '../auth/connections';

/** The scopes this extension's features rely on, and what breaks without each. */
export function neededScopes(): readonly [string, string][] {
  return [
    ['read:jira-work', l10n.t('issues cannot be listed or read')],
    ['write:jira-work', l10n.t('transitions, comments and assigning fail')],
    ['read:jira-user', l10n.t('the account cannot be checked')],
    [
      'offline_access',
      l10n.t('there is no refresh token, so the sign-in ends when the access token expires (about an hour)'),
    ],
  ];
}

/** "84 ms": a measured latency. */
export function milliseconds(ms: number): string {
  return l10n.t({ message: '{0} ms', args: [ms], comment: ['A duration in milliseconds, abbreviated: "84 ms"'] });
}

/** "3 tools": how many tools an MCP server offers. */
export function toolCountText(count: number): string {
  return l10n.t('{0} tools', count);
}

/** The label of the check of the Jira API through a connection. */
export function jiraApiLabel(): string {
  return l10n.t({
    message: 'Jira API',
    comment: ['A row label in the Connection view: whether the Jira REST API answers this connection'],
  });
}

export function signInLabel(): string {
  return l10n.t({
    message: 'Sign-in',
    comment: ['A row label in the Connection view: how VS Code or the connection signs in (OAuth, API token…)'],
  });
}

export function connectedText(): string {
  return l10n.t({ message: 'connected', comment: ['The state of a connection to an Atlassian site'] });
}

export function urlLabel(): string {
  return l10n.t({ message: 'URL', comment: ['A row label in the Connection view: the address of an MCP server'] });
}

export function methodLabel(method: AuthMethod): string {
  return method === 'oauth'
    ? l10n.t('OAuth 2.0 (browser sign-in)')
    : method === 'apiToken'
      ? l10n.t('API token')
      : l10n.t('Personal access token');
}
