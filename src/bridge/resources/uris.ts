// The bridge's resource addresses. The site is the one atlassian_list_sites names (its short name),
// so a URI says where the data lives and the same key on two sites never collides:
//   jira://{site}/issue/{key}          one issue (Markdown)
//   jira://{site}/search?jql={jql}     a JQL result set (JSON, as jira_search returns it)
//   confluence://{site}/page/{id}      one page (Markdown)
//   confluence://{site}/space/{space}  a space's recently changed pages (JSON)

export type ResourceRef =
  | { readonly kind: 'issue'; readonly site: string; readonly key: string }
  | { readonly kind: 'search'; readonly site: string; readonly jql: string }
  | { readonly kind: 'page'; readonly site: string; readonly id: string }
  | { readonly kind: 'space'; readonly site: string; readonly space: string };

export const TEMPLATES = {
  issue: 'jira://{site}/issue/{key}',
  search: 'jira://{site}/search{?jql}',
  page: 'confluence://{site}/page/{id}',
  space: 'confluence://{site}/space/{space}',
} as const;

const enc = encodeURIComponent;

export function resourceUri(ref: ResourceRef): string {
  switch (ref.kind) {
    case 'issue':
      return `jira://${enc(ref.site)}/issue/${enc(ref.key)}`;
    case 'search':
      return `jira://${enc(ref.site)}/search?jql=${enc(ref.jql)}`;
    case 'page':
      return `confluence://${enc(ref.site)}/page/${enc(ref.id)}`;
    case 'space':
      return `confluence://${enc(ref.site)}/space/${enc(ref.space)}`;
  }
}

const PATTERN = /^(jira|confluence):\/\/([^/?#]+)\/(issue|search|page|space)(?:\/([^/?#]+))?(?:\?([^#]*))?$/;

/** The resource a URI names, or undefined when it is not one of the bridge's. */
export function parseResourceUri(uri: string): ResourceRef | undefined {
  const m = PATTERN.exec(uri);
  if (!m) return undefined;
  const [, scheme, rawSite, kind, rawValue, query] = m;
  let site: string;
  let value: string | undefined;
  try {
    site = decodeURIComponent(rawSite!);
    value = rawValue === undefined ? undefined : decodeURIComponent(rawValue);
  } catch {
    return undefined;
  }
  if (scheme === 'jira' && kind === 'issue' && value && !query) return { kind, site, key: value };
  if (scheme === 'jira' && kind === 'search' && value === undefined) {
    const jql = new URLSearchParams(query ?? '').get('jql');
    return jql?.trim() ? { kind, site, jql } : undefined;
  }
  if (scheme === 'confluence' && kind === 'page' && value && !query) return { kind, site, id: value };
  if (scheme === 'confluence' && kind === 'space' && value && !query) return { kind, site, space: value };
  return undefined;
}
