// The two pages a person sees on the team server during sign-in: consent for the MCP client (who it
// is, where the grant goes, which Atlassian sites), and a plain error page when the request cannot
// go back to the app.
import * as l10n from '@vscode/l10n';
import type { AccessibleResource } from '../../auth/oauthClient';
import { escapeHtml } from './httpUtil';

const STYLE = `body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#172b4d}
label{display:block;margin:.5rem 0}button{margin-top:1rem;padding:.5rem 1rem}small{color:#626f86}`;

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>${STYLE}</style></head><body>${body}</body></html>`;
}

export function consentPage(
  action: string,
  choiceId: string,
  client: { readonly name: string; readonly redirectUri: string },
  sites: readonly AccessibleResource[],
): string {
  const title = l10n.t('Allow {0} to use Jira and Confluence as you?', client.name);
  const options = sites
    .map(
      (site, index) =>
        `<label><input type="checkbox" name="site" value="${escapeHtml(site.id)}"${index === 0 ? ' checked' : ''}> ${escapeHtml(site.name)} <small>${escapeHtml(site.url)}</small></label>`,
    )
    .join('');
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(l10n.t('The access goes to {0}. Allow only an app you just started signing in from.', client.redirectUri))}</p>
<p>${escapeHtml(l10n.t('Sites it may use:'))}</p>
<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="choice" value="${escapeHtml(choiceId)}">${options}
<button type="submit" name="decision" value="allow">${escapeHtml(l10n.t('Allow'))}</button>
<button type="submit" name="decision" value="deny">${escapeHtml(l10n.t('Deny'))}</button></form>`,
  );
}

export function errorPage(message: string): string {
  const title = l10n.t('Sign-in to the team server failed');
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p>${escapeHtml(l10n.t('Start the sign-in again from your editor.'))}</p>`,
  );
}
