// Why a sign-in failed and what to do, in plain words: the error shown after "Connect Atlassian"
// with a "Try again" next to it. Atlassian's own words are quoted once, never ending in "..".
import * as l10n from '@vscode/l10n';
import { AtlassianError } from '../atlassian/errors';
import type { AuthMethod } from './connections';

export const API_TOKEN_PAGE = 'https://id.atlassian.com/manage-profile/security/api-tokens';
export const OAUTH_CONSOLE_PAGE = 'https://developer.atlassian.com/console/myapps/';

export interface SignInFailure {
  readonly message: string;
  /** A page that fixes it (where tokens are made), offered as a button. */
  readonly helpUrl?: string;
  /** Whether the secret was what failed (the token prompt comes first again on "Try again"). */
  readonly secretRejected: boolean;
}

export function describeSignInFailure(err: unknown, method: AuthMethod, site: string): SignInFailure {
  if (!(err instanceof AtlassianError))
    return { message: sentence(err instanceof Error ? err.message : String(err)), secretRejected: false };
  const said = err.messages.length > 0 ? ` ${l10n.t('Atlassian said: "{0}"', trimStop(err.messages.join('; ')))}` : '';
  switch (err.kind) {
    case 'unauthorized':
    case 'needsReconnect':
      return method === 'pat'
        ? {
            message: l10n.t(
              '{0} did not accept the personal access token: it is wrong, expired or revoked. Create a new one in Jira (your profile → Personal Access Tokens) and try again.',
              site,
            ),
            secretRejected: true,
          }
        : {
            message: l10n.t(
              '{0} did not accept the email and API token: the token is wrong, expired or revoked, or it belongs to another account. Create a new API token and try again.',
              site,
            ),
            helpUrl: API_TOKEN_PAGE,
            secretRejected: true,
          };
    case 'scope':
    case 'forbidden':
      return {
        message: sentence(
          `${l10n.t('{0} refused the account: it lacks the "Browse users" (or "Browse projects") permission needed to read its own profile. Ask a Jira administrator for access, or sign in with another account.', site)}${said}`,
        ),
        secretRejected: false,
      };
    case 'notFound':
    case 'gone':
      return {
        message: l10n.t('{0} has no Jira REST API at that address: check the site address and try again.', site),
        secretRejected: false,
      };
    case 'network':
    case 'timeout':
      return {
        message: l10n.t(
          'Could not reach {0}: check your network, proxy or VPN, and the site address, then try again.',
          err.host,
        ),
        secretRejected: false,
      };
    case 'rateLimited':
      return {
        message: err.retryAfterSeconds
          ? l10n.t('{0} is rate limiting requests: try again in {1} s.', site, err.retryAfterSeconds)
          : l10n.t('{0} is rate limiting requests: try again in a minute.', site),
        secretRejected: false,
      };
    default:
      return { message: sentence(err.message), secretRejected: false };
  }
}

/** One closing full stop, whatever the text ended with. */
export function sentence(text: string): string {
  const t = text.trim();
  return /[.!?…]$/.test(t) ? t.replace(/\.{2,}$/, '.') : `${t}.`;
}

function trimStop(text: string): string {
  return text.trim().replace(/\.+$/, '');
}
