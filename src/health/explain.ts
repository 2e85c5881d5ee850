// What went wrong talking to Atlassian and what the person can do about it, in plain words. The
// issue list, the Connection view and the diagnostics report all explain a failure the same way.
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

const RECONNECT = 'Click Reconnect (or run "Connect Atlassian") and sign in again.';
const PERSISTS = 'If it keeps failing, run "Atlassian: Run Diagnostics" and look at "Atlassian: Show Log".';

export function explainError(err: unknown, context: ExplainContext): Explanation {
  if (!(err instanceof AtlassianError)) {
    return { kind: 'unknown', what: err instanceof Error ? err.message : String(err), todo: `Try again. ${PERSISTS}`, remedy: 'retry' };
  }
  const { site } = context;
  const detail = err.messages.length > 0 ? `: ${err.messages.join('; ')}` : '.';
  switch (err.kind) {
    case 'needsReconnect':
      return {
        kind: err.kind,
        what: `The sign-in for ${site} can no longer be used${context.reason ? ` (${context.reason})` : ''}.`,
        todo: RECONNECT,
        remedy: 'reconnect',
      };
    case 'unauthorized':
      return { kind: err.kind, what: `${site} rejected the credentials (401)${detail}`, todo: unauthorizedTodo(context.method), remedy: 'reconnect' };
    case 'scope':
      return {
        kind: err.kind,
        what: `The OAuth sign-in for ${site} lacks a permission (scope) this needs. ${err.message}`,
        todo: 'Add the scope to your OAuth app in the Atlassian developer console and to the "atlassianMcpBridge.oauth.scopes" setting, then reconnect.',
        remedy: 'reconnect',
      };
    case 'forbidden':
      return {
        kind: err.kind,
        what: `${site} refused access (403)${detail}`,
        todo: 'Your account lacks a Jira permission for this (for example "Browse projects"). Ask a Jira administrator, or connect with another account.',
        remedy: 'none',
      };
    case 'rateLimited': {
      const wait = err.retryAfterSeconds;
      return {
        kind: err.kind,
        what: `${site} is rate limiting requests${err.rateLimitReason ? ` (${err.rateLimitReason})` : ''}.`,
        todo: `${wait !== undefined ? `Wait ${formatSeconds(wait)}, then retry.` : 'Wait a minute, then retry.'} Agents and other tools using the same account share this limit.`,
        remedy: 'retry',
        ...(wait !== undefined ? { retryAfterSeconds: wait } : {}),
      };
    }
    case 'network':
      return { kind: err.kind, what: err.message, todo: 'Check your network, VPN or proxy and that the site URL is right, then retry.', remedy: 'retry' };
    case 'timeout':
      return { kind: err.kind, what: err.message, todo: 'Atlassian or the network is slow right now; retry in a moment.', remedy: 'retry' };
    case 'server':
      return {
        kind: err.kind,
        what: `${site} had a server error (${err.status ?? '5xx'})${detail}`,
        todo: 'This is usually temporary: retry in a minute. If it lasts, check status.atlassian.com.',
        remedy: 'retry',
      };
    case 'badRequest':
      return { kind: err.kind, what: `${site} refused the request${detail}`, todo: context.badRequestTodo ?? `Check what was asked for. ${PERSISTS}`, remedy: 'none' };
    case 'gone':
      return { kind: err.kind, what: err.message, todo: 'Update the extension: it uses an Atlassian API that has been retired.', remedy: 'none' };
    case 'cancelled':
      return { kind: err.kind, what: 'The request was cancelled.', todo: 'Retry when you are ready.', remedy: 'retry' };
    default:
      return { kind: err.kind, what: err.message, todo: `Retry. ${PERSISTS}`, remedy: 'retry' };
  }
}

function unauthorizedTodo(method: AuthMethod | undefined): string {
  switch (method) {
    case 'apiToken':
      return 'The API token may have been revoked or have expired. Create a new one at id.atlassian.com → Security → API tokens, then reconnect.';
    case 'pat':
      return 'The personal access token may have been revoked or have expired. Create a new one in your Jira profile, then reconnect.';
    default:
      return RECONNECT;
  }
}

/** "30 s", "2 min", "1 h 5 min". */
export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 90) return `${s} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
}
