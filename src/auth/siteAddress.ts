// What a person types as "the site": `acme`, `acme.atlassian.net`, a link copied from the browser
// (`https://acme.atlassian.net/jira/software/projects/ACME/boards/1`) or a Data Center URL with its
// context path. Turns it into the base URL REST calls start from, or says plainly what is wrong.
import * as l10n from '@vscode/l10n';

export interface SiteAddress {
  /** Base URL without a trailing slash: `https://acme.atlassian.net`, `https://jira.example.com/jira`. */
  readonly baseUrl: string;
  readonly host: string;
  /** A `*.atlassian.net` (or `*.jira.com`) host: certainly Cloud. Other hosts are told apart by asking them. */
  readonly atlassianCloudHost: boolean;
}

export type SiteAddressResult =
  { readonly ok: true; readonly site: SiteAddress } | { readonly ok: false; readonly error: string };

const MAX_LENGTH = 2048;
const CLOUD_HOST = /\.(atlassian\.net|jira\.com)$/i;
/** A Cloud site's sub-domain: what people type when they know their site as "acme". */
const BARE_SITE_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
/**
 * Where the path of a copied link stops being the site: pages of the Jira and Confluence web UI.
 * (`/jira/…` is Cloud's UI; on other hosts `/jira` alone is a common Data Center context path.)
 */
const UI_PATH =
  /\/(?:browse|secure|projects|issues|plugins|dashboards?|login\.jsp|display|spaces|pages|wiki\/|jira\/(?:software|servicedesk|core|your-work|dashboards|projects|for-you|people|plans|filters|settings))(?:[/?#.].*)?$/i;

export function parseSiteAddress(input: string): SiteAddressResult {
  const text = input.trim();
  if (!text) return fail(l10n.t('Enter your site, e.g. your-site or your-site.atlassian.net'));
  if (text.length > MAX_LENGTH) return fail(l10n.t('That is too long for a site address.'));
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(text)) return fail(l10n.t('A site address has no spaces or line breaks.'));

  let candidate = text;
  if (BARE_SITE_NAME.test(text)) candidate = `https://${text}.atlassian.net`;
  else if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) candidate = `https://${text}`;

  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return fail(l10n.t('"{0}" is not a site address. Enter it like your-site.atlassian.net', clip(text)));
  }
  const loopback = LOOPBACK.has(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    return fail(
      url.protocol === 'http:'
        ? l10n.t('Use https:// (plain http is only accepted for a server on this machine).')
        : l10n.t('Use an https:// address, not {0}', url.protocol),
    );
  if (url.username || url.password)
    return fail(l10n.t('Leave the user name and password out of the address; they are asked for separately.'));
  if (!url.hostname || (!loopback && !url.hostname.includes('.')))
    return fail(l10n.t('"{0}" is not a site address. Enter it like your-site.atlassian.net', clip(text)));

  const host = url.host.toLowerCase();
  const atlassianCloudHost = CLOUD_HOST.test(url.hostname);
  // A Cloud site always lives at the root of its host; anything after it is a page of the web UI.
  const path = atlassianCloudHost ? '' : collapseSlashes(url.pathname).replace(UI_PATH, '').replace(/\/+$/, '');
  return { ok: true, site: { baseUrl: `${url.protocol}//${host}${path}`, host, atlassianCloudHost } };
}

function fail(error: string): SiteAddressResult {
  return { ok: false, error };
}

function collapseSlashes(path: string): string {
  return path.replace(/\/{2,}/g, '/');
}

/** Echo what was typed, but never a wall of text. */
function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
