// What went wrong talking to Atlassian and what the person can do about it, in plain words. The
// issue list, the Connection view and the diagnostics report all explain a failure the same way.
import * as l10n from '@vscode/l10n';
import { AtlassianError, type AtlassianErrorKind } from '../atlassian/errors';
import type { AuthMethod } from '../auth/connections';

/** The one action that can fix it from the editor. */
export type Remedy = 'reconnect' | 'retry' | 'none';

export interface Explanation {
  readonly kind: AtlassianErrorKind | 'unknown';
  /** What happened. */
  readonly what: string;
  /** What to do about it. */
  readonly todo: string;
  readonly remedy: Remedy;
  readonly retryAfterSeconds?: number;
}

export interface ExplainContext {
  /** The site's name as the person knows it. */
  readonly site: string;
  readonly method?: AuthMethod;
  /** Why the connection manager marked the sign-in unusable, when it did. */
  readonly reason?: string;
  /** What to do about a refused request (400) in this context, e.g. "fix the filter's JQL". */
  readonly badRequestTodo?: string;
}

/** What to do when the sign-in can no longer be used. */
export function reconnectTodo(): string {
  return l10n.t('Click Reconnect (or run "Connect Atlassian") and sign in again.');
}

/** "The sign-in for Acme can no longer be used (the refresh token was revoked)." */
export function signInUnusable(site: string, reason: string | undefined): string {
  return reason
    ? l10n.t('The sign-in for {0} can no longer be used ({1}).', site, reason)
    : l10n.t('The sign-in for {0} can no longer be used.', site);
}

export function explainError(err: unknown, context: ExplainContext): Explanation {
  if (!(err instanceof AtlassianError)) {
    return {
      kind: 'unknown',
      what: err instanceof Error ? err.message : String(err),
      todo: l10n.t(
        'Try again. If it keeps failing, run "Atlassian: Run Diagnostics" and look at "Atlassian: Show Log".',
      ),
      remedy: 'retry',
    };
  }
  const { site } = context;
  // What Jira said about it, when it said anything.
  const detail = err.messages.length > 0 ? err.messages.join('; ') : undefined;
  switch (err.kind) {
    case 'needsReconnect':
      return { kind: err.kind, what: signInUnusable(site, context.reason), todo: reconnectTodo(), remedy: 'reconnect' };
    case 'unauthorized':
      return {
        kind: err.kind,
        what:
          detail !== undefined
            ? l10n.t('{0} rejected the credentials (401): {1}', site, detail)
            : l10n.t('{0} rejected the credentials (401).', site),
        todo: unauthorizedTodo(context.method),
        remedy: 'reconnect',
      };
    case 'scope':
      return {
        kind: err.kind,
        what: l10n.t('The OAuth sign-in for {0} lacks a permission (scope) this needs. {1}', site, err.message),
        todo: l10n.t(
          'Add the scope to your OAuth app in the Atlassian developer console and to the "atlassianMcpBridge.oauth.scopes" setting, then reconnect.',
        ),
        remedy: 'reconnect',
      };
    case 'forbidden':
      return {
        kind: err.kind,
        what:
          detail !== undefined
            ? l10n.t('{0} refused access (403): {1}', site, detail)
            : l10n.t('{0} refused access (403).', site),
        todo: l10n.t(
          'Your account lacks a Jira permission for this (for example "Browse projects"). Ask a Jira administrator, or connect with another account.',
        ),
        remedy: 'none',
      };
    case 'rateLimited': {
      const wait = err.retryAfterSeconds;
      return {
        kind: err.kind,
        what: err.rateLimitReason
          ? l10n.t('{0} is rate limiting requests ({1}).', site, err.rateLimitReason)
          : l10n.t('{0} is rate limiting requests.', site),
        todo:
          wait !== undefined
            ? l10n.t(
                'Wait {0}, then retry. Agents and other tools using the same account share this limit.',
                formatSeconds(wait),
              )
            : l10n.t('Wait a minute, then retry. Agents and other tools using the same account share this limit.'),
        remedy: 'retry',
        ...(wait !== undefined ? { retryAfterSeconds: wait } : {}),
      };
    }
    case 'network':
      return {
        kind: err.kind,
        what: err.message,
        todo: l10n.t('Check your network, VPN or proxy and that the site URL is right, then retry.'),
        remedy: 'retry',
      };
    case 'timeout':
      return {
        kind: err.kind,
        what: err.message,
        todo: l10n.t('Atlassian or the network is slow right now; retry in a moment.'),
        remedy: 'retry',
      };
    case 'server': {
      const status = err.status ?? '5xx';
      return {
        kind: err.kind,
        what:
          detail !== undefined
            ? l10n.t('{0} had a server error ({1}): {2}', site, status, detail)
            : l10n.t('{0} had a server error ({1}).', site, status),
        todo: l10n.t('This is usually temporary: retry in a minute. If it lasts, check status.atlassian.com.'),
        remedy: 'retry',
      };
    }
    case 'badRequest':
      return {
        kind: err.kind,
        what:
          detail !== undefined
            ? l10n.t('{0} refused the request: {1}', site, detail)
            : l10n.t('{0} refused the request.', site),
        todo:
          context.badRequestTodo ??
          l10n.t(
            'Check what was asked for. If it keeps failing, run "Atlassian: Run Diagnostics" and look at "Atlassian: Show Log".',
          ),
        remedy: 'none',
      };
    case 'gone':
      return {
        kind: err.kind,
        what: err.message,
        todo: l10n.t('Update the extension: it uses an Atlassian API that has been retired.'),
        remedy: 'none',
      };
    case 'cancelled':
      return {
        kind: err.kind,
        what: l10n.t('The request was cancelled.'),
        todo: l10n.t('Retry when you are ready.'),
        remedy: 'retry',
      };
    default:
      return {
        kind: err.kind,
        what: err.message,
        todo: l10n.t('Retry. If it keeps failing, run "Atlassian: Run Diagnostics" and look at "Atlassian: Show Log".'),
        remedy: 'retry',
      };
  }
}

function unauthorizedTodo(method: AuthMethod | undefined): string {
  switch (method) {
    case 'apiToken':
      return l10n.t(
        'The API token may have been revoked or have expired. Create a new one at id.atlassian.com → Security → API tokens, then reconnect.',
      );
    case 'pat':
      return l10n.t(
        'The personal access token may have been revoked or have expired. Create a new one in your Jira profile, then reconnect.',
      );
    default:
      return reconnectTodo();
  }
}

/** "30 s", "2 min", "1 h 5 min". */
export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 90) return l10n.t({ message: '{0} s', args: [s], comment: ['A duration in seconds, abbreviated: "30 s"'] });
  const minutes = Math.round(s / 60);
  if (minutes < 60)
    return l10n.t({ message: '{0} min', args: [minutes], comment: ['A duration in minutes, abbreviated: "2 min"'] });
  const hours = Math.floor(minutes / 60);
  if (minutes % 60 === 0)
    return l10n.t({ message: '{0} h', args: [hours], comment: ['A duration in hours, abbreviated: "2 h"'] });
  return l10n.t({
    message: '{0} h {1} min',
    args: [hours, minutes % 60],
    comment: ['A duration in hours and minutes, abbreviated: "1 h 5 min"'],
  });
}
