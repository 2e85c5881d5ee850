// The three sign-in methods as the person meets them: the site is checked the moment it is entered
// (before any secret), a failure says in plain words what to do, and "Try again" comes back with
// everything typed still there (the token masked). Nothing here knows how OAuth or REST work.
import * as vscode from 'vscode';
import { callbackPages } from '../auth/callbackPages';
import { callbackReach } from '../auth/callbackReach';
import type { AuthMethod } from '../auth/connections';
import { CallbackError } from '../auth/loopback';
import type { SandboxProfile } from '../auth/sandboxProfile';
import { clientSecretKey } from '../auth/secrets';
import { signInWithApiToken, signInWithOAuth, signInWithPersonalAccessToken, type SignInResult } from '../auth/signIn';
import { API_TOKEN_PAGE, describeSignInFailure, OAUTH_CONSOLE_PAGE } from '../auth/signInErrors';
import { parseSiteAddress } from '../auth/siteAddress';
import { checkSite, type SiteKind } from '../auth/siteCheck';
import type { Logger } from '../core/logger';
import { COMMANDS } from './ids';
import { ask, type PromptButton } from './prompts';
import { fullSettingName, readAuthSettings, SETTING } from './settings';

export interface FlowDependencies {
  readonly secrets: vscode.SecretStorage;
  readonly log: Logger;
  readonly fetch: typeof fetch;
}

/** What the person typed, kept across "Try again" (and pre-filled on Reconnect). */
export interface Draft {
  site?: string;
  email?: string;
  token?: string;
}

/** A sign-in result, or why there is none: the person stopped, or chose another method. */
export type FlowOutcome = SignInResult | 'cancelled' | { readonly switchTo: AuthMethod };

const TRY_AGAIN = () => vscode.l10n.t('Try Again');

function tokenPageButton(): PromptButton {
  return {
    icon: 'link-external',
    tooltip: vscode.l10n.t("Create an API token (opens Atlassian's API token page)"),
    run: () => vscode.env.openExternal(vscode.Uri.parse(API_TOKEN_PAGE)),
  };
}

/** The site prompt: normalised, then asked at once whether it is the kind of site the method needs. */
function askSite(deps: FlowDependencies, expect: SiteKind, value: string | undefined, problem?: string) {
  return ask({
    title: vscode.l10n.t('Connect Atlassian: Site'),
    prompt:
      expect === 'cloud'
        ? vscode.l10n.t('Your Atlassian Cloud site: your-site, your-site.atlassian.net, or any link from it')
        : vscode.l10n.t('Your Jira Data Center URL, e.g. https://jira.example.com (with its path, if any)'),
    empty: vscode.l10n.t('Enter the site'),
    value,
    problem,
    check: async (text, signal) => {
      const parsed = parseSiteAddress(text);
      if (!parsed.ok) return parsed.error;
      const result = await checkSite(parsed.site, { expect, fetch: deps.fetch, signal });
      return result.ok ? undefined : result.message;
    },
  });
}

export async function apiTokenFlow(deps: FlowDependencies, draft: Draft): Promise<FlowOutcome> {
  let problem: { readonly at: 'site' | 'token'; readonly message: string } | undefined;
  for (;;) {
    const site = await askSite(deps, 'cloud', draft.site, problem?.at === 'site' ? problem.message : undefined);
    if (!site) return 'cancelled';
    draft.site = site;
    const email = await ask({
      title: vscode.l10n.t('Connect Atlassian: Email'),
      prompt: vscode.l10n.t('The email address of your Atlassian account'),
      empty: vscode.l10n.t('Enter the email'),
      value: draft.email,
    });
    if (!email) return 'cancelled';
    draft.email = email;
    const apiToken = await ask({
      title: vscode.l10n.t('Connect Atlassian: API token'),
      prompt: vscode.l10n.t(
        "An API token of your account: create one with the button above (id.atlassian.com → Security → API tokens). Kept only in VS Code's secret storage.",
      ),
      empty: vscode.l10n.t('Enter the API token'),
      value: draft.token,
      password: true,
      buttons: [tokenPageButton()],
      problem: problem?.at === 'token' ? problem.message : undefined,
    });
    if (!apiToken) return 'cancelled';
    draft.token = apiToken;
    const siteUrl = parsedBase(site);
    try {
      return await withProgress(vscode.l10n.t('Checking {0}…', siteUrl), (signal) =>
        signInWithApiToken({ siteUrl, email, apiToken, signal, fetch: deps.fetch }),
      );
    } catch (err) {
      const again = await offerRetry(deps, err, 'apiToken', new URL(siteUrl).host);
      if (!again) return 'cancelled';
      problem = again;
    }
  }
}

export async function patFlow(deps: FlowDependencies, draft: Draft): Promise<FlowOutcome> {
  let problem: { readonly at: 'site' | 'token'; readonly message: string } | undefined;
  for (;;) {
    const site = await askSite(deps, 'dataCenter', draft.site, problem?.at === 'site' ? problem.message : undefined);
    if (!site) return 'cancelled';
    draft.site = site;
    const token = await ask({
      title: vscode.l10n.t('Connect Atlassian: Personal access token'),
      prompt: vscode.l10n.t(
        "A personal access token from your Jira profile (Personal Access Tokens). Kept only in VS Code's secret storage.",
      ),
      empty: vscode.l10n.t('Enter the personal access token'),
      value: draft.token,
      password: true,
      problem: problem?.at === 'token' ? problem.message : undefined,
    });
    if (!token) return 'cancelled';
    draft.token = token;
    const baseUrl = parsedBase(site);
    try {
      return await withProgress(vscode.l10n.t('Checking {0}…', baseUrl), (signal) =>
        signInWithPersonalAccessToken({ baseUrl, token, signal, fetch: deps.fetch }),
      );
    } catch (err) {
      const again = await offerRetry(deps, err, 'pat', new URL(baseUrl).host);
      if (!again) return 'cancelled';
      problem = again;
    }
  }
}

/**
 * Shows the failure with "Try again" (and the token page where a token was refused). The answer is
 * where the person goes back to, with the message shown there; undefined when they stop.
 */
async function offerRetry(
  deps: FlowDependencies,
  err: unknown,
  method: AuthMethod,
  site: string,
): Promise<{ readonly at: 'site' | 'token'; readonly message: string } | undefined> {
  if (err instanceof CallbackError && err.reason === 'cancelled') return undefined;
  if (err instanceof Error && err.name === 'AtlassianError' && (err as { kind?: string }).kind === 'cancelled')
    return undefined;
  deps.log.error('Connect Atlassian failed: %s', err);
  const failure = describeSignInFailure(err, method, site);
  const createToken = vscode.l10n.t('Create API Token');
  const buttons = [TRY_AGAIN(), ...(failure.helpUrl ? [createToken] : []), vscode.l10n.t('Show Log')];
  const choice = await vscode.window.showErrorMessage(failure.message, ...buttons);
  if (choice === createToken) void vscode.env.openExternal(vscode.Uri.parse(failure.helpUrl!));
  if (choice === vscode.l10n.t('Show Log')) void vscode.commands.executeCommand(COMMANDS.showLog);
  if (choice !== TRY_AGAIN() && choice !== createToken) return undefined;
  return { at: failure.secretRejected ? 'token' : 'site', message: failure.message };
}

export async function oauthFlow(deps: FlowDependencies, sandbox: SandboxProfile | undefined): Promise<FlowOutcome> {
  const settings = readAuthSettings();
  const clientId = sandbox?.clientId ?? settings.clientId;
  // Browser sign-in needs the person's own OAuth app: say so before any browser opens.
  if (!clientId) return explainOAuthApp(settings.redirectUri);

  const redirectUri = sandbox?.redirectUris[0] ?? settings.redirectUri;
  // The sandbox runs on this machine, with its own callback: nothing to forward.
  if (!sandbox) {
    const external = await vscode.env.asExternalUri(vscode.Uri.parse(redirectUri));
    const reach = callbackReach({
      remoteName: vscode.env.remoteName,
      registered: redirectUri,
      external: external.toString(true),
    });
    if (reach.kind === 'mismatch') {
      const useToken = vscode.l10n.t('Use an API Token');
      const anyway = vscode.l10n.t('Sign In Anyway');
      const copy = vscode.l10n.t('Copy Browser Address');
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('Browser sign-in cannot finish in this remote window ({0}).', vscode.env.remoteName ?? ''),
        {
          modal: true,
          detail: vscode.l10n.t(
            'Atlassian only redirects to the callback URL registered in your OAuth app, {0}. From your browser, VS Code\'s sign-in listener in this window is at {1} instead, so the browser would never come back. Forward port {2} of the remote machine to the same port on your computer and choose "Sign In Anyway", or use an API token, which works everywhere.',
            reach.registered,
            reach.reachableAs,
            new URL(reach.registered).port,
          ),
        },
        useToken,
        copy,
        anyway,
      );
      if (choice === useToken) return { switchTo: 'apiToken' };
      if (choice === copy) await vscode.env.clipboard.writeText(reach.reachableAs);
      if (choice !== anyway) return 'cancelled';
    }
  }

  const secretKey = clientSecretKey(clientId);
  let clientSecret = sandbox?.clientSecret ?? (await deps.secrets.get(secretKey));
  if (!clientSecret) {
    clientSecret = await ask({
      title: vscode.l10n.t('Connect Atlassian (OAuth): client secret'),
      prompt: vscode.l10n.t(
        "The secret of your OAuth app (developer console → your app → Settings). Kept only in VS Code's secret storage.",
      ),
      empty: vscode.l10n.t('Enter the client secret'),
      value: undefined,
      password: true,
    });
    if (!clientSecret) return 'cancelled';
  }
  await deps.secrets.store(secretKey, clientSecret);

  try {
    return await withProgress(vscode.l10n.t('Connect Atlassian'), (signal, progress) =>
      signInWithOAuth({
        fetch: deps.fetch,
        onStep: (message) => progress.report({ message }),
        endpoints: {
          authBaseUrl: sandbox?.authBaseUrl ?? settings.authBaseUrl,
          apiBaseUrl: sandbox?.apiBaseUrl ?? settings.apiBaseUrl,
        },
        app: { clientId, redirectUri, scopes: settings.scopes },
        clientSecret: clientSecret,
        openBrowser: async (url) => {
          progress.report({ message: vscode.l10n.t('waiting for you to sign in in the browser…') });
          return vscode.env.openExternal(vscode.Uri.parse(url, true));
        },
        pickSite: async (sites) => {
          const choice = await vscode.window.showQuickPick(
            sites.map((s) => ({
              label: s.name,
              description: s.url,
              detail: vscode.l10n.t('cloud id {0}', s.id),
              site: s,
            })),
            {
              title: vscode.l10n.t('Connect Atlassian: which site?'),
              placeHolder: vscode.l10n.t('Your sign-in reaches several sites. Choose one (connect again for another).'),
              ignoreFocusOut: true,
            },
          );
          return choice?.site;
        },
        pages: callbackPages,
        portSettingName: fullSettingName(SETTING.redirectPort),
        signal,
      }),
    );
  } catch (err) {
    const again = await offerRetry(deps, err, 'oauth', new URL(sandbox?.apiBaseUrl ?? settings.apiBaseUrl).host);
    return again ? oauthFlow(deps, sandbox) : 'cancelled';
  }
}

/** No client id yet: what browser sign-in needs, and the ways forward. */
async function explainOAuthApp(redirectUri: string): Promise<FlowOutcome> {
  const openSetting = vscode.l10n.t('Open Setting');
  const openConsole = vscode.l10n.t('Open Developer Console');
  const useToken = vscode.l10n.t('Use an API Token');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Browser sign-in needs your own OAuth app.'),
    {
      modal: true,
      detail: vscode.l10n.t(
        'Create an OAuth 2.0 (3LO) app in the Atlassian developer console with the callback URL {0} and the Jira and Confluence scopes, then put its client ID in the setting "{1}". An API token needs none of this and no admin.',
        redirectUri,
        fullSettingName(SETTING.clientId),
      ),
    },
    useToken,
    openSetting,
    openConsole,
  );
  if (choice === useToken) return { switchTo: 'apiToken' };
  if (choice === openSetting)
    void vscode.commands.executeCommand('workbench.action.openSettings', fullSettingName(SETTING.clientId));
  if (choice === openConsole) void vscode.env.openExternal(vscode.Uri.parse(OAUTH_CONSOLE_PAGE));
  return 'cancelled';
}

/** The base URL the site prompt already accepted (it was checked there). */
function parsedBase(site: string): string {
  const parsed = parseSiteAddress(site);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.site.baseUrl;
}

function withProgress<T>(
  title: string,
  task: (signal: AbortSignal, progress: vscode.Progress<{ message?: string }>) => Promise<T>,
): Thenable<T> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const cancel = token.onCancellationRequested(() => abort.abort());
      try {
        return await task(abort.signal, progress);
      } finally {
        cancel.dispose();
      }
    },
  );
}
