// The read-only documents an issue or a Confluence page becomes when it is added to chat:
// `atlassian-issue:/acme.atlassian.net/ENG-12.md` and `atlassian-page:/acme.atlassian.net/98304.md`.
// The site is the host of the connection's site URL (stable across reloads, unlike a connection id);
// the file name is what the chat shows on the attachment chip.
export const ISSUE_SCHEME = 'atlassian-issue';
export const PAGE_SCHEME = 'atlassian-page';

export type ChatDocumentRef =
  | { readonly kind: 'issue'; readonly site: string; readonly key: string }
  | { readonly kind: 'page'; readonly site: string; readonly id: string };

const ISSUE_KEY = /^[A-Z][A-Z0-9_]*-[1-9][0-9]*$/;
const PAGE_ID = /^[1-9][0-9]{0,19}$/;
const SITE = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::[0-9]{1,5})?$/;

/** The site segment of a connection's site URL: its host (with the port, if any). */
export function siteSegment(siteUrl: string): string {
  return new URL(siteUrl).host.toLowerCase();
}

export function chatDocumentScheme(ref: ChatDocumentRef): string {
  return ref.kind === 'issue' ? ISSUE_SCHEME : PAGE_SCHEME;
}

export function chatDocumentPath(ref: ChatDocumentRef): string {
  return `/${ref.site}/${ref.kind === 'issue' ? ref.key.toUpperCase() : ref.id}.md`;
}

/** The reference a URI of ours names, or undefined for anything else (another scheme, a malformed path). */
export function parseChatDocument(scheme: string, path: string): ChatDocumentRef | undefined {
  const [, rawSite, name] = /^\/([^/]+)\/([^/]+)\.md$/.exec(path) ?? [];
  if (!rawSite || !name) return undefined;
  const site = rawSite.toLowerCase();
  if (!SITE.test(site)) return undefined;
  if (scheme === ISSUE_SCHEME && ISSUE_KEY.test(name.toUpperCase()))
    return { kind: 'issue', site, key: name.toUpperCase() };
  if (scheme === PAGE_SCHEME && PAGE_ID.test(name)) return { kind: 'page', site, id: name };
  return undefined;
}

/**
 * A Confluence page id from what a person pastes: the id itself, `…/pages/123/Title`,
 * `…/pages/viewpage.action?pageId=123` or `…?pageId=123`. Also the host, when a URL was given.
 */
export function parsePageReference(input: string): { readonly id: string; readonly host?: string } | undefined {
  const text = input.trim();
  if (PAGE_ID.test(text)) return { id: text };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const id = url.searchParams.get('pageId') ?? /\/pages\/(?:edit-v2\/)?([0-9]+)(?:\/|$)/.exec(url.pathname)?.[1];
  return id && PAGE_ID.test(id) ? { id, host: url.host.toLowerCase() } : undefined;
}
