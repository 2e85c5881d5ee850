// The branch Start Work creates for an issue, from the template in
// `atlassianMcpBridge.startWork.branchTemplate` (default `{key}-{summary}`): placeholders filled,
// the summary slugged, and the result a name git accepts (git check-ref-format's rules).

export const DEFAULT_BRANCH_TEMPLATE = '{key}-{summary}';
/** Summaries can be long; a branch name a person types or reads should not be. */
const MAX_SUMMARY_SLUG = 40;

export interface BranchIssue {
  readonly key: string;
  readonly summary: string;
  readonly type: string;
}

/** Lower case ASCII words joined by '-': accents dropped, anything else a separator. */
export function slug(text: string, max = Number.POSITIVE_INFINITY): string {
  const words = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let out = '';
  for (const word of words) {
    const next = out ? `${out}-${word}` : word;
    if (next.length > max) return out || word.slice(0, max);
    out = next;
  }
  return out;
}

/** Fills the template; `{key}`, `{summary}` (slugged) and `{type}` (slugged) are known. */
export function branchName(template: string, issue: BranchIssue): string {
  const filled = (template.trim() || DEFAULT_BRANCH_TEMPLATE).replace(/\{(key|summary|type)\}/g, (_, name: string) =>
    name === 'key' ? issue.key : name === 'type' ? slug(issue.type) : slug(issue.summary, MAX_SUMMARY_SLUG),
  );
  return sanitizeRef(filled) || issue.key;
}

/** What git refuses in a branch name, removed: control characters, space ~^:?*[\, "..", "@{", empty path parts, a leading '-', a trailing '.' or ".lock". */
export function sanitizeRef(name: string): string {
  return (
    name
      // eslint-disable-next-line no-control-regex
      .replace(/[\x00-\x20\x7f~^:?*[\\]+/g, '-')
      .replace(/\.{2,}/g, '.')
      .replace(/@\{/g, '-')
      .split('/')
      .map((part) =>
        part
          .replace(/^[.-]+/, '')
          .replace(/(\.lock)+$/i, '')
          .replace(/[.-]+$/, ''),
      )
      .filter(Boolean)
      .join('/')
      .replace(/-{2,}/g, '-')
  );
}
