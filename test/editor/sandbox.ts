// Editor-test helpers around the sandbox the runner started (AMB_SANDBOX_URL): its control
// endpoints, signing in the ways "Connect Atlassian" does, reading Jira back independently of the
// extension, and everything a tree view shows a person.
import * as vscode from 'vscode';
import type { ConnectionInfo } from '../../src/auth/connections';
import { loadSandboxProfile, type SandboxProfile } from '../../src/auth/sandboxProfile';
import { clientSecretKey, parseStoredCredential, secretValues } from '../../src/auth/secrets';
import { signInWithApiToken, type SignInResult } from '../../src/auth/signIn';
import type { ExtensionApi } from '../../src/extension';
import { signInAcceptingConsent } from '../support/consentBrowser';

export const sandboxUrl = (): string => process.env.AMB_SANDBOX_URL!;

interface Discovery {
  readonly apiBaseUrl: string;
  readonly sites: { name: string; url: string }[];
  readonly oauthClient: { clientSecret: string };
  readonly users: { email: string; apiToken: string }[];
  readonly dataCenter: { personalAccessToken: string };
}

export async function discovery(): Promise<Discovery> {
  return (await (await fetch(`${sandboxUrl()}/.well-known/sandbox.json`)).json()) as Discovery;
}

/** POST to the sandbox's test controls (`faults`, `faults/clear`, `tokens/revoke`, `settings`, …). */
export async function control(path: string, body: unknown = {}): Promise<void> {
  const res = await fetch(`${sandboxUrl()}/__sandbox/${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`sandbox control ${path} answered ${res.status}`);
}

export async function connectWithApiToken(api: ExtensionApi): Promise<ConnectionInfo> {
  const profile = await loadSandboxProfile(`${sandboxUrl()}/.well-known/sandbox.json`);
  const { info, credential } = await signInWithApiToken({
    siteUrl: profile.siteUrl!,
    email: profile.email!,
    apiToken: profile.apiToken!,
  });
  await api.connections.add(info, credential);
  return info;
}

export async function connectWithOAuth(api: ExtensionApi): Promise<ConnectionInfo> {
  const profile = await loadSandboxProfile(`${sandboxUrl()}/.well-known/sandbox.json`);
  await api.secrets.store(clientSecretKey(profile.clientId), profile.clientSecret);
  const { info, credential } = await oauthSignIn(profile);
  await api.connections.add(info, credential);
  return info;
}

/** The OAuth flow as "Connect Atlassian" runs it, the consent page answered by a scripted browser; Acme Corp picked. */
export function oauthSignIn(profile: SandboxProfile): Promise<SignInResult> {
  return signInAcceptingConsent({
    authBaseUrl: profile.authBaseUrl,
    apiBaseUrl: profile.apiBaseUrl,
    clientId: profile.clientId,
    clientSecret: profile.clientSecret,
    redirectUri: profile.redirectUris[0]!,
    // The extension's default scopes' Jira and Confluence reads: the Connection view checks both.
    scopes: [
      'read:jira-work',
      'write:jira-work',
      'read:jira-user',
      'read:confluence-space.summary',
      'read:me',
      'offline_access',
    ],
  });
}

/** Reads an issue from the sandbox as Ada with her API token: what Jira now holds, not what the extension thinks. */
export async function jiraIssue(key: string, fields: string): Promise<Record<string, unknown>> {
  const d = await discovery();
  const ada = d.users[0]!;
  const res = await fetch(`${d.sites[0]!.url}/rest/api/3/issue/${key}?fields=${fields}`, {
    headers: {
      Authorization: `Basic ${Buffer.from(`${ada.email}:${ada.apiToken}`).toString('base64')}`,
      Accept: 'application/json',
    },
  });
  if (!res.ok) throw new Error(`GET ${key} answered ${res.status}`);
  return ((await res.json()) as { fields: Record<string, unknown> }).fields;
}

/** Every secret in play: the connections' stored credentials, OAuth client secrets, and the sandbox's own. */
export async function knownSecrets(api: ExtensionApi): Promise<string[]> {
  const values: string[] = [];
  for (const c of api.connections.list()) {
    const credential = parseStoredCredential(await api.secrets.get(c.secretKey));
    if (credential) values.push(...secretValues(credential));
    if (c.oauth) values.push((await api.secrets.get(clientSecretKey(c.oauth.clientId))) ?? '');
  }
  const d = await discovery();
  values.push(d.oauthClient.clientSecret, d.dataCenter.personalAccessToken, ...d.users.map((u) => u.apiToken));
  return values.filter((v) => v.length >= 6);
}

/** What a tree row shows a person, tooltip included. */
export function itemText(item: vscode.TreeItem): string {
  const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
  // Unescaped, so a secret cannot hide behind Markdown backslashes.
  const tooltip =
    item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value.replace(/\\(.)/g, '$1') : (item.tooltip ?? '');
  return [
    label,
    typeof item.description === 'string' ? item.description : '',
    tooltip,
    item.accessibilityInformation?.label ?? '',
  ].join('\n');
}

/** Every row of a tree, expanding whatever can be expanded (with a depth limit). */
export async function allItems<T>(
  provider: vscode.TreeDataProvider<T>,
  depth = 5,
): Promise<{ node: T; item: vscode.TreeItem }[]> {
  const out: { node: T; item: vscode.TreeItem }[] = [];
  const visit = async (parent: T | undefined, level: number) => {
    for (const node of (await provider.getChildren(parent)) ?? []) {
      const item = await provider.getTreeItem(node);
      out.push({ node, item });
      if (level < depth && item.collapsibleState !== vscode.TreeItemCollapsibleState.None) await visit(node, level + 1);
    }
  };
  await visit(undefined, 0);
  return out;
}
