// Which issue a person means: a key (ENG-12), a browse URL (https://acme.atlassian.net/browse/ENG-12,
// also ?selectedIssue=ENG-12 board links), or the key found at a position in a line of text.
import type { ConnectionInfo } from '../../auth/connections';

export interface IssueReference {
  readonly key: string;
  /** The site the URL named, when the reference was a URL. */
  readonly origin: string | undefined;
}

const KEY = /\b([A-Z][A-Z0-9_]{0,254}-[1-9]\d{0,9})\b/;

export function parseIssueReference(input: string): IssueReference | undefined {
  const text = input.trim();
  if (/^https?:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return undefined;
    }
    const fromPath = /\/browse\/([^/?#]+)/.exec(url.pathname)?.[1];
    const candidate = decodeURIComponent(fromPath ?? url.searchParams.get('selectedIssue') ?? '').toUpperCase();
    const match = new RegExp(`^${KEY.source}$`).exec(candidate);
    return match ? { key: match[1]!, origin: url.origin } : undefined;
  }
  const match = new RegExp(`^${KEY.source}$`).exec(text.toUpperCase());
  return match ? { key: match[1]!, origin: undefined } : undefined;
}

/** The issue key under `column` in `line` (keys are upper case in text; a lower-case word is no key). */
export function issueKeyAt(line: string, column: number): string | undefined {
  const re = new RegExp(KEY.source, 'g');
  for (let m = re.exec(line); m; m = re.exec(line)) {
    if (column >= m.index && column <= m.index + m[0].length) return m[1];
  }
  return undefined;
}

/** The connections a reference may belong to: the one whose site the URL names, else all of them. */
export function connectionsFor(ref: IssueReference, connections: readonly ConnectionInfo[]): ConnectionInfo[] {
  if (ref.origin === undefined) return [...connections];
  const origin = ref.origin.toLowerCase();
  return connections.filter((c) => {
    try {
      return new URL(c.siteUrl).origin.toLowerCase() === origin;
    } catch {
      return false;
    }
  });
}
