// A connection's health rows: what it is (method, site, user, cloud id, scopes, token expiry and
// refresh) and whether Jira and Confluence answer it.
import * as l10n from '@vscode/l10n';
import type { ConnectionInfo } from '../auth/connections';
import { relativeTime, utcMinute } from '../core/time';
import { formatSeconds, reconnectTodo, signInUnusable } from './explain';
import type { ApiResult, ConnectionHealth, HealthAction, HealthCheck, OverallState } from './healthTypes';
import { connectedText, jiraApiLabel, methodLabel, milliseconds, neededScopes, signInLabel } from './healthLabels';

type JiraHealth = Omit<ConnectionHealth, 'siteUrl' | 'cloudId' | 'method' | 'userName' | 'isDefault'>;

export function connectionHealth(
  c: ConnectionInfo,
  api: ApiResult | undefined,
  checking: boolean,
  now: number,
): JiraHealth {
  const checks: HealthCheck[] = [
    { id: 'method', label: signInLabel(), value: methodLabel(c.method), status: 'info' },
    {
      id: 'site',
      label: l10n.t({
        message: 'Site',
        comment: ['A row label in the Connection view: the Atlassian site of a connection'],
      }),
      value: `${c.siteName} — ${c.siteUrl} (${c.flavour === 'cloud' ? 'Cloud' : 'Data Center'})`,
      status: 'info',
    },
    {
      id: 'user',
      label: l10n.t({
        message: 'User',
        comment: ['A row label in the Connection view: the Atlassian account a connection signed in as'],
      }),
      value: c.user.email ? `${c.user.displayName} <${c.user.email}>` : c.user.displayName,
      status: 'info',
    },
    cloudIdCheck(c),
    scopesCheck(c),
    expiryCheck(c, now),
    lastRefreshCheck(c, now),
  ];

  if (c.state === 'needsReconnect') {
    const problem = { what: signInUnusable(c.siteName, c.stateReason), todo: reconnectTodo() };
    checks.push({
      id: 'api',
      label: jiraApiLabel(),
      value: l10n.t('not checked: sign in again first'),
      status: 'error',
      problem,
    });
    return {
      connectionId: c.id,
      siteName: c.siteName,
      state: 'needsReconnect',
      summary: l10n.t('needs reconnect'),
      checks,
      problem,
      action: { kind: 'reconnect' },
    };
  }
  if (!api) {
    checks.push({
      id: 'api',
      label: jiraApiLabel(),
      value: checking ? l10n.t('checking…') : l10n.t('not checked yet'),
      status: 'pending',
    });
    return {
      connectionId: c.id,
      siteName: c.siteName,
      state: checking ? 'checking' : 'unchecked',
      summary: checking ? l10n.t('checking…') : connectedText(),
      checks,
    };
  }
  if (api.ok) {
    const when = relativeTime(api.at, now);
    let value: string;
    if (!api.path) value = l10n.t('reachable ({0})', when);
    else if (api.latencyMs === undefined) value = l10n.t('reachable (GET {0}, {1})', api.path, when);
    else
      value = l10n.t({
        message: 'reachable · {0} ms (GET {1}, {2})',
        args: [api.latencyMs, api.path, when],
        comment: ['{0}: milliseconds; {1}: a Jira REST path; {2}: when, e.g. "2 min ago"'],
      });
    checks.push({ id: 'api', label: jiraApiLabel(), value, status: 'ok' });
    const connected = connectedText();
    return {
      connectionId: c.id,
      siteName: c.siteName,
      state: 'connected',
      summary: api.latencyMs !== undefined ? `${connected} · ${milliseconds(api.latencyMs)}` : connected,
      checks,
    };
  }

  const { explanation } = api;
  const problem = { what: explanation.what, todo: explanation.todo };
  switch (explanation.kind) {
    case 'needsReconnect':
    case 'unauthorized':
      checks.push({
        id: 'api',
        label: jiraApiLabel(),
        value: l10n.t('rejected the sign-in'),
        status: 'error',
        problem,
      });
      return {
        connectionId: c.id,
        siteName: c.siteName,
        state: 'needsReconnect',
        summary: l10n.t('needs reconnect'),
        checks,
        problem,
        action: { kind: 'reconnect' },
      };
    case 'rateLimited': {
      const notBefore =
        explanation.retryAfterSeconds !== undefined ? api.at + explanation.retryAfterSeconds * 1000 : undefined;
      const limited =
        notBefore !== undefined && notBefore > now
          ? l10n.t('rate limited · retry in {0}', formatSeconds((notBefore - now) / 1000))
          : l10n.t('rate limited');
      checks.push({ id: 'api', label: jiraApiLabel(), value: limited, status: 'warning', problem });
      return {
        connectionId: c.id,
        siteName: c.siteName,
        state: 'rateLimited',
        summary: limited,
        checks,
        problem,
        action: { kind: 'retry', notBefore },
      };
    }
    case 'network':
    case 'timeout':
      checks.push({ id: 'api', label: jiraApiLabel(), value: l10n.t('unreachable'), status: 'error', problem });
      return {
        connectionId: c.id,
        siteName: c.siteName,
        state: 'unreachable',
        summary: l10n.t('unreachable'),
        checks,
        problem,
        action: { kind: 'retry' },
      };
    default: {
      const action: HealthAction = explanation.remedy === 'reconnect' ? { kind: 'reconnect' } : { kind: 'retry' };
      checks.push({ id: 'api', label: jiraApiLabel(), value: l10n.t('failing'), status: 'error', problem });
      return {
        connectionId: c.id,
        siteName: c.siteName,
        state: 'error',
        summary: l10n.t('failing'),
        checks,
        problem,
        action,
      };
    }
  }
}

function cloudIdCheck(c: ConnectionInfo): HealthCheck {
  const label = l10n.t({
    message: 'Cloud ID',
    comment: ['A row label in the Connection view: the id Atlassian gives a Cloud site'],
  });
  if (c.cloudId) return { id: 'cloudId', label, value: c.cloudId, status: 'info' };
  if (c.flavour === 'datacenter') return { id: 'cloudId', label, value: l10n.t('none (Data Center)'), status: 'info' };
  return {
    id: 'cloudId',
    label,
    value: l10n.t('unknown'),
    status: 'warning',
    problem: {
      what: l10n.t('The cloud id of {0} is unknown, so remote MCP servers cannot use this connection.', c.siteName),
      todo: l10n.t('Reconnect to look it up again.'),
    },
  };
}

function scopesCheck(c: ConnectionInfo): HealthCheck {
  const label = l10n.t({
    message: 'Scopes',
    comment: ['A row label in the Connection view: the OAuth scopes (permissions) the sign-in was granted'],
  });
  if (c.method !== 'oauth') {
    const value =
      c.method === 'apiToken'
        ? l10n.t("not applicable (an API token acts with all of your account's permissions)")
        : l10n.t("not applicable (a personal access token acts with all of your account's permissions)");
    return { id: 'scopes', label, value, status: 'info' };
  }
  const granted = new Set(c.scopes);
  const missing = neededScopes().filter(([scope]) => !granted.has(scope));
  const value = c.scopes.length > 0 ? c.scopes.join(' ') : l10n.t('none reported');
  if (missing.length === 0) return { id: 'scopes', label, value, status: 'ok' };
  return {
    id: 'scopes',
    label,
    value,
    status: 'warning',
    problem: {
      what: l10n.t('The sign-in lacks {0}.', missing.map(([scope, effect]) => `${scope} (${effect})`).join('; ')),
      todo: l10n.t(
        'Enable the scopes in your OAuth app (developer console) and in the "atlassianMcpBridge.oauth.scopes" setting, then reconnect.',
      ),
    },
  };
}

function expiryCheck(c: ConnectionInfo, now: number): HealthCheck {
  const label = l10n.t('Token expiry');
  if (c.method !== 'oauth' || c.expiresAt === undefined) {
    const where =
      c.method === 'apiToken'
        ? l10n.t('see id.atlassian.com → Security → API tokens')
        : l10n.t('see your Jira profile');
    return {
      id: 'expiry',
      label,
      value: c.method === 'oauth' ? l10n.t('unknown') : l10n.t('not reported by Atlassian ({0})', where),
      status: 'info',
    };
  }
  const when = `${relativeTime(c.expiresAt, now)} (${utcMinute(c.expiresAt)})`;
  if (c.expiresAt > now) return { id: 'expiry', label, value: l10n.t('access token expires {0}', when), status: 'ok' };
  return { id: 'expiry', label, value: l10n.t('access token expired {0}; renewed on next use', when), status: 'info' };
}

function lastRefreshCheck(c: ConnectionInfo, now: number): HealthCheck {
  const label = l10n.t({
    message: 'Last refresh',
    comment: ['A row label in the Connection view: when the OAuth access token was last refreshed'],
  });
  if (c.method !== 'oauth')
    return { id: 'lastRefresh', label, value: l10n.t('not applicable (no OAuth tokens to refresh)'), status: 'info' };
  const value =
    c.lastRefreshAt !== undefined
      ? `${relativeTime(c.lastRefreshAt, now)} (${utcMinute(c.lastRefreshAt)})`
      : l10n.t('not yet (still the token from sign-in)');
  return { id: 'lastRefresh', label, value, status: 'info' };
}

/** The Confluence row of a connection; undefined where the connection has no Confluence. */
export function confluenceCheck(
  c: ConnectionInfo,
  result: ApiResult | undefined,
  checking: boolean,
  now: number,
): HealthCheck | undefined {
  if (c.flavour !== 'cloud' || c.state === 'needsReconnect') return undefined;
  const label = l10n.t({
    message: 'Confluence API',
    comment: ['A row label in the Connection view: whether the Confluence REST API answers this connection'],
  });
  if (!result)
    return {
      id: 'confluence',
      label,
      value: checking ? l10n.t('checking…') : l10n.t('not checked yet'),
      status: 'pending',
    };
  if (result.ok)
    return {
      id: 'confluence',
      label,
      value: l10n.t({
        message: 'reachable · {0} ms (GET {1}, {2})',
        args: [result.latencyMs ?? 0, result.path ?? '', relativeTime(result.at, now)],
        comment: ['{0}: milliseconds; {1}: a Jira REST path; {2}: when, e.g. "2 min ago"'],
      }),
      status: 'ok',
    };
  const { explanation } = result;
  const value =
    explanation.kind === 'scope' || explanation.kind === 'forbidden' || explanation.kind === 'unauthorized'
      ? l10n.t('no access')
      : explanation.kind === 'notFound'
        ? l10n.t('no Confluence on this site')
        : explanation.kind === 'network' || explanation.kind === 'timeout'
          ? l10n.t('unreachable')
          : l10n.t('failing');
  return {
    id: 'confluence',
    label,
    value,
    status: explanation.kind === 'notFound' ? 'info' : 'warning',
    problem: { what: explanation.what, todo: explanation.todo },
  };
}

/** Adds who and what the connection is, and its Confluence row, to the Jira health. */
export function withConfluence(
  jira: JiraHealth,
  c: ConnectionInfo,
  isDefault: boolean,
  confluence: HealthCheck | undefined,
): ConnectionHealth {
  const identity = {
    siteUrl: c.siteUrl,
    cloudId: c.cloudId,
    method: c.method,
    userName: c.user.displayName,
    isDefault,
  };
  if (!confluence) return { ...jira, ...identity };
  const jiraCheck = jira.checks.find((check) => check.id === 'api');
  const checks = [...jira.checks, confluence];
  if (jira.state !== 'connected') return { ...jira, ...identity, checks };
  const jiraPart = /· (\d+ ms)/.exec(jira.summary)?.[1];
  const confluencePart =
    confluence.status === 'ok'
      ? `Confluence ${/· (\d+ ms)/.exec(confluence.value)?.[1] ?? ''}`.trim()
      : `Confluence: ${confluence.value}`;
  const summary = [connectedText(), jiraPart ? `Jira ${jiraPart}` : 'Jira', confluencePart].join(' · ');
  return {
    ...jira,
    ...identity,
    checks,
    summary: jiraCheck?.status === 'ok' ? summary : jira.summary,
    problem: jira.problem ?? confluence.problem,
  };
}

export function overallState(connections: readonly ConnectionHealth[]): OverallState {
  if (connections.length === 0) return 'signedOut';
  const states = new Set(connections.map((c) => c.state));
  if (states.has('needsReconnect')) return 'needsReconnect';
  if (states.has('rateLimited')) return 'rateLimited';
  if (states.has('unreachable')) return 'unreachable';
  return 'connected';
}
