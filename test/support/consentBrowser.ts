// Plays the person in the browser against the sandbox's real consent page: opens the authorize
// URL, submits the HTML form with Accept or Deny, and follows the redirect to the callback.
import { callbackPages } from '../../src/auth/callbackPages';
import { signInWithOAuth, type SignInResult } from '../../src/auth/signIn';

export interface ConsentOutcome {
  /** Where the sandbox redirected the browser (the app's redirect URI with code or error). */
  readonly location: string;
  /** What the loopback listener answered, when the redirect was followed. */
  readonly callbackStatus: number | undefined;
}

export async function consent(
  authorizeUrl: string,
  decision: 'accept' | 'deny',
  follow = true,
): Promise<ConsentOutcome> {
  const page = await fetch(authorizeUrl);
  const html = await page.text();
  if (!page.ok) throw new Error(`consent page answered ${page.status}: ${html.slice(0, 300)}`);
  const consentId = /name="consent" value="([^"]+)"/.exec(html)?.[1];
  if (!consentId) throw new Error('no consent form on the page');
  const form = new URL('authorize', authorizeUrl);
  const answer = await fetch(form, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ consent: consentId, decision }).toString(),
    redirect: 'manual',
  });
  const location = answer.headers.get('location');
  if (!location) throw new Error(`consent answered ${answer.status} without a redirect`);
  const callbackStatus = follow ? (await fetch(location)).status : undefined;
  return { location, callbackStatus };
}

export interface SandboxOAuthApp {
  readonly authBaseUrl: string;
  readonly apiBaseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
}

/** The OAuth flow as "Connect Atlassian" runs it, with the consent page accepted here and Acme Corp picked. */
export function signInAcceptingConsent(app: SandboxOAuthApp, now?: () => number): Promise<SignInResult> {
  return signInWithOAuth({
    endpoints: { authBaseUrl: app.authBaseUrl, apiBaseUrl: app.apiBaseUrl },
    app: { clientId: app.clientId, redirectUri: app.redirectUri, scopes: app.scopes },
    clientSecret: app.clientSecret,
    openBrowser: async (url) => {
      void consent(url, 'accept');
      return true;
    },
    pickSite: async (sites) => sites.find((s) => s.name === 'Acme Corp'),
    pages: callbackPages,
    portSettingName: 'unused',
    now,
  });
}
