// Issue keys in text (editors, the commit message box): which of the KEY-123 words name issues of a
// connected site. Each site's project keys are fetched once, when text is first looked at, and kept a
// few minutes; an issue is fetched only when asked for (a hover) and kept a minute. Typing never
// reaches the network: matching runs against the cached project keys only.
import type { JiraApi, Json } from '../../atlassian/jira';
import type { ConnectionInfo } from '../../auth/connections';
import { ISSUE_FIELDS, toIssueSummary, type IssueSummary } from '../issue';

export interface KeyMatch {
  readonly key: string;
  /** Offset of the key's first character in the text. */
  readonly start: number;
  readonly end: number;
  /** The connections whose sites have the key's project (usually one). */
  readonly connectionIds: readonly string[];
}

export interface IssueKeyIndexDependencies {
  readonly connections: () => readonly ConnectionInfo[];
  readonly jira: (connection: ConnectionInfo) => JiraApi;
  readonly now?: () => number;
  readonly onApiOutcome?: (connectionId: string, error: unknown) => void;
}

export type IssueLookup =
  | { readonly ok: true; readonly connection: ConnectionInfo; readonly issue: IssueSummary }
  | { readonly ok: false; readonly connection: ConnectionInfo; readonly error: unknown };

/** How long a site's project keys are trusted. */
export const PROJECTS_TTL_MS = 5 * 60_000;
/** A failed project list is retried only after this, so a broken site costs no request per edit. */
export const PROJECTS_FAILURE_TTL_MS = 30_000;
export const ISSUE_TTL_MS = 60_000;
/** At most this many issues kept; the oldest go first. */
const MAX_CACHED_ISSUES = 200;

// Upper case only: in prose, "utf-8" or "covid-19" are no keys. Not preceded by a letter, digit, '-' or
// '/' so that URLs' paths and words like "X-ABC-1" are left alone.
const KEY = /(?<![\w/-])([A-Z][A-Z0-9_]{0,254})-([1-9]\d{0,9})(?![\w-])/g;

interface Cached<T> {
  readonly value: Promise<T>;
  readonly expires: number;
}

export class IssueKeyIndex {
  private readonly projects = new Map<string, Cached<ReadonlySet<string> | undefined>>();
  private readonly issues = new Map<string, Cached<IssueLookup>>();
  private readonly now: () => number;

  constructor(private readonly deps: IssueKeyIndexDependencies) {
    this.now = deps.now ?? Date.now;
  }

  /** The keys in `text` whose projects belong to a connected site (fetching project lists if needed). */
  async find(text: string): Promise<KeyMatch[]> {
    const candidates = [...text.matchAll(KEY)];
    if (candidates.length === 0) return [];
    const sites = await Promise.all(
      this.deps.connections().map(async (c) => ({ id: c.id, keys: await this.projectKeys(c) })),
    );
    const matches: KeyMatch[] = [];
    for (const m of candidates) {
      const connectionIds = sites.filter((s) => s.keys?.has(m[1]!)).map((s) => s.id);
      if (connectionIds.length > 0)
        matches.push({ key: m[0], start: m.index, end: m.index + m[0].length, connectionIds });
    }
    return matches;
  }

  /** The known key covering `offset` in `text`, if any. */
  async at(text: string, offset: number): Promise<KeyMatch | undefined> {
    return (await this.find(text)).find((m) => offset >= m.start && offset <= m.end);
  }

  /** The issue on each connection given (fetched once a minute at most). */
  lookup(match: KeyMatch): Promise<IssueLookup[]> {
    const connections = this.deps.connections().filter((c) => match.connectionIds.includes(c.id));
    return Promise.all(connections.map((c) => this.issue(c, match.key)));
  }

  /** Forgets everything (connections changed, or the person asked for a refresh). */
  clear(): void {
    this.projects.clear();
    this.issues.clear();
  }

  private projectKeys(connection: ConnectionInfo): Promise<ReadonlySet<string> | undefined> {
    const cached = this.projects.get(connection.id);
    if (cached && cached.expires > this.now()) return cached.value;
    const value = this.deps
      .jira(connection)
      .projects()
      .then(
        (list) => {
          this.deps.onApiOutcome?.(connection.id, undefined);
          return new Set(list.map((p) => p.key).filter((k): k is string => typeof k === 'string'));
        },
        (error: unknown) => {
          // No links for this site for a while; the failure itself shows in the Connection view.
          this.deps.onApiOutcome?.(connection.id, error);
          this.projects.set(connection.id, { value, expires: this.now() + PROJECTS_FAILURE_TTL_MS });
          return undefined;
        },
      );
    this.projects.set(connection.id, { value, expires: this.now() + PROJECTS_TTL_MS });
    return value;
  }

  private issue(connection: ConnectionInfo, key: string): Promise<IssueLookup> {
    const id = `${connection.id}\n${key}`;
    const cached = this.issues.get(id);
    if (cached && cached.expires > this.now()) return cached.value;
    const value = this.deps
      .jira(connection)
      .getIssue(key, { fields: ISSUE_FIELDS })
      .then(
        (json: Json): IssueLookup => ({ ok: true, connection, issue: toIssueSummary(json) }),
        (error: unknown): IssueLookup => {
          // An error is shown once, then asked again on the next hover.
          this.issues.delete(id);
          return { ok: false, connection, error };
        },
      );
    this.issues.delete(id);
    this.issues.set(id, { value, expires: this.now() + ISSUE_TTL_MS });
    if (this.issues.size > MAX_CACHED_ISSUES) this.issues.delete(this.issues.keys().next().value!);
    return value;
  }
}
