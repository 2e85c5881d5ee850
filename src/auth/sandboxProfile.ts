// The demo's shortcut: a local sandbox describes its endpoints, OAuth app and users in a discovery
// document, so signing in to it needs no typing. Only loopback sandboxes are accepted.
import * as l10n from '@vscode/l10n';

export interface SandboxProfile {
  readonly authBaseUrl: string;
  readonly apiBaseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUris: readonly string[];
  readonly siteUrl: string | undefined;
  readonly email: string | undefined;
  readonly apiToken: string | undefined;
  readonly dataCenterUrl: string | undefined;
  readonly personalAccessToken: string | undefined;
}

interface Discovery {
  authBaseUrl: string;
  apiBaseUrl: string;
  sites?: { url: string }[];
  oauthClient: { clientId: string; clientSecret: string; redirectUris: string[] };
  users?: { email: string; apiToken: string }[];
  dataCenter?: { url: string; personalAccessToken: string };
}

export async function loadSandboxProfile(
  discoveryUrl: string,
  fetchImpl: typeof fetch = fetch,
): Promise<SandboxProfile> {
  const url = new URL(discoveryUrl);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new Error(l10n.t('The sandbox setting must point at this machine (127.0.0.1), not {0}.', url.host));
  }
  const response = await fetchImpl(url, { headers: { Accept: 'application/json' } });
  if (!response.ok)
    throw new Error(
      l10n.t('The sandbox at {0} answered {1}; is it running (npm run sandbox)?', url.host, response.status),
    );
  const d = (await response.json()) as Discovery;
  return {
    authBaseUrl: d.authBaseUrl,
    apiBaseUrl: d.apiBaseUrl,
    clientId: d.oauthClient.clientId,
    clientSecret: d.oauthClient.clientSecret,
    redirectUris: d.oauthClient.redirectUris,
    siteUrl: d.sites?.[0]?.url,
    email: d.users?.[0]?.email,
    apiToken: d.users?.[0]?.apiToken,
    dataCenterUrl: d.dataCenter?.url,
    personalAccessToken: d.dataCenter?.personalAccessToken,
  };
}
