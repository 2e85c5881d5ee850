// The "My Issues" model, editor-free: per connection, the default filter and the named JQL filters
// from the settings, each paged in progressively (Cloud's enhanced search with nextPageToken, Data
// Center's offsets). A failed load is kept as an error saying what to do, never shown as an empty list.
import * as l10n from '@vscode/l10n';
import type { JiraApi } from '../atlassian/jira';
import type { ConnectionInfo } from '../auth/connections';
import { explainError, reconnectTodo, signInUnusable, type Explanation } from '../health/explain';
import { ISSUE_FIELDS, toIssueSummary, type IssueSummary } from './issue';
import { distinctConnections } from './rows';

export interface IssueFilter {
  /** Stable within a connection: `assigned`, or `named:<name>`. */
  readonly id: string;
  readonly name: string;
  readonly jql: string;
  /** Only under this connection (its id, site name or site URL); under every connection when absent. */
  readonly connection?: string;
}

export const DEFAULT_FILTER: IssueFilter = {
  id: 'assigned',
  // Read when shown (in the display language), not when this module loads.
  get name() {
    return l10n.t({
      message: 'Assigned to me',
      comment: ['The name of the built-in issue filter: open issues assigned to the signed-in user'],
    });
  },
  jql: 'assignee = currentUser() AND statusCategory != Done ORDER BY updated DESC',
};

/** Named filters from the `issues.filters` setting (user-written JSON, so checked entry by entry). */
export function filtersFromSettings(entries: readonly unknown[]): { filters: IssueFilter[]; problems: string[] } {
  const filters: IssueFilter[] = [];
  const problems: string[] = [];
  for (const [index, entry] of entries.entries()) {
    const e = (entry && typeof entry === 'object' ? entry : {}) as Record<string, unknown>;
    const name = typeof e.name === 'string' ? e.name.trim() : '';
    const jql = typeof e.jql === 'string' ? e.jql.trim() : '';
    if (!name || !jql) {
      problems.push(l10n.t('Issue filter {0} needs both a "name" and a "jql".', index + 1));
      continue;
    }
    const id = `named:${name}`;
    if (filters.some((f) => f.id === id) || name === DEFAULT_FILTER.name) {
      problems.push(l10n.t('Issue filter "{0}" is defined twice; the first one is used.', name));
      continue;
    }
    const connection = typeof e.connection === 'string' && e.connection.trim() ? e.connection.trim() : undefined;
    filters.push(connection ? { id, name, jql, connection } : { id, name, jql });
  }
  return { filters, problems };
}

function appliesTo(filter: IssueFilter, connection: ConnectionInfo): boolean {
  const wanted = filter.connection?.toLowerCase();
  return (
    wanted === undefined ||
    [connection.id, connection.siteName, connection.siteUrl].some((v) => v.toLowerCase() === wanted)
  );
}

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

/** One filter of one connection, as the view shows it. */
export interface FilterView {
  readonly connectionId: string;
  readonly filter: IssueFilter;
  /** `error`: the first page failed (issues may still hold an earlier, stale result). */
  readonly status: LoadStatus;
  readonly issues: readonly IssueSummary[];
  readonly hasMore: boolean;
  readonly loadingMore: boolean;
  /** How many issues the query finds, when Jira says (approximate on Cloud). */
  readonly total: number | undefined;
  readonly error: Explanation | undefined;
  /** Whether `error` came from loading the next page (the issues shown are still current). */
  readonly errorDuringMore: boolean;
  readonly loadedAt: number | undefined;
}

/** The subset of ConnectionManager the list needs. */
export interface IssueConnections {
  list(): readonly ConnectionInfo[];
  onDidChange(listener: () => void): { dispose(): void };
  /** The connection agents' tools use when they name no site. */
  defaultConnection?(): ConnectionInfo | undefined;
}

export interface IssueListOptions {
  readonly connections: IssueConnections;
  readonly jira: (connection: ConnectionInfo) => JiraApi;
  readonly filters?: readonly IssueFilter[];
  /** Issues per request; Jira Cloud returns at most 100 with fields. */
  readonly pageSize?: number;
  /** Told of each search's outcome (error undefined on success), so the health view hears of rate limits. */
  readonly onApiOutcome?: (connectionId: string, error: unknown) => void;
  /** Removes secrets from text that came from elsewhere (error messages); the log's redactor. */
  readonly redact?: (text: string) => string;
  readonly now?: () => number;
}

type Cursor = { readonly token: string } | { readonly startAt: number };

interface Entry {
  readonly connectionId: string;
  filter: IssueFilter;
  status: LoadStatus;
  issues: IssueSummary[];
  cursor: Cursor | undefined;
  total: number | undefined;
  error: Explanation | undefined;
  errorDuringMore: boolean;
  loadingMore: boolean;
  loadedAt: number | undefined;
  inflight: Promise<void> | undefined;
  abort: AbortController | undefined;
}

/** A refresh restores at most this many issues of a filter (the pages a person loaded). */
const MAX_RESTORED = 2000;

export class IssueListModel {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<(change: FilterChange | undefined) => void>();
  private readonly subscription: { dispose(): void };
  private readonly pageSize: number;
  private readonly now: () => number;
  private filters: readonly IssueFilter[];
  /** Connection states last seen, to notice sign-ins and reconnects but not token refreshes. */
  private knownStates: Map<string, ConnectionInfo['state']>;
  /** The listed connections' ids last seen (see `connections()`). */
  private knownListed: string;

  constructor(private readonly options: IssueListOptions) {
    this.pageSize = options.pageSize ?? 100;
    this.now = options.now ?? Date.now;
    this.filters = options.filters ?? [];
    this.knownStates = this.states();
    this.knownListed = this.listedIds();
    this.subscription = options.connections.onDidChange(() => this.connectionsChanged());
  }

  onDidChange(listener: (change: FilterChange | undefined) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** The connections listed: one per site and account, so no issue is listed or counted twice. */
  connections(): readonly ConnectionInfo[] {
    return distinctConnections(this.options.connections.list(), this.defaultConnectionId());
  }

  defaultConnectionId(): string | undefined {
    return this.options.connections.defaultConnection?.()?.id;
  }

  /** Any connection by id, listed or not (an action may name one that duplicates a listed one). */
  findConnection(id: string): ConnectionInfo | undefined {
    return this.options.connections.list().find((c) => c.id === id);
  }

  filtersFor(connection: ConnectionInfo): IssueFilter[] {
    return [DEFAULT_FILTER, ...this.filters.filter((f) => appliesTo(f, connection))];
  }

  /** Replaces the named filters; a filter whose JQL changed starts over. */
  setFilters(filters: readonly IssueFilter[]): void {
    this.filters = filters;
    for (const [key, entry] of this.entries) {
      const filter = [DEFAULT_FILTER, ...filters].find((f) => f.id === entry.filter.id);
      if (!filter || filter.jql !== entry.filter.jql) {
        entry.abort?.abort();
        this.entries.delete(key);
      } else {
        entry.filter = filter;
      }
    }
    this.fire(undefined);
  }

  view(connectionId: string, filterId: string): FilterView {
    const entry = this.entry(connectionId, filterId);
    return {
      connectionId,
      filter: entry.filter,
      status: entry.status,
      issues: entry.issues,
      hasMore: entry.cursor !== undefined,
      loadingMore: entry.loadingMore,
      total: entry.total,
      error: entry.error,
      errorDuringMore: entry.errorDuringMore,
      loadedAt: entry.loadedAt,
    };
  }

  /** Loads the first page unless it is loaded or loading; resolves when the filter has settled. */
  async ensureLoaded(connectionId: string, filterId: string): Promise<FilterView> {
    const entry = this.entry(connectionId, filterId);
    // reload() catches every failure into entry.error, so its promise cannot reject; awaited below.
    if (entry.status === 'idle') void this.reload(connectionId, filterId, entry, 0);
    await entry.inflight;
    return this.view(connectionId, filterId);
  }

  /** Loads the filter again from the first page, as many issues as were shown (at least one page). */
  async reloadFilter(connectionId: string, filterId: string): Promise<FilterView> {
    const entry = this.entry(connectionId, filterId);
    await this.reload(connectionId, filterId, entry, entry.issues.length);
    return this.view(connectionId, filterId);
  }

  /** Appends the next page. */
  async loadMore(connectionId: string, filterId: string): Promise<FilterView> {
    const entry = this.entry(connectionId, filterId);
    if (entry.inflight) {
      await entry.inflight;
      return this.view(connectionId, filterId);
    }
    const cursor = entry.cursor;
    const connection = this.findConnection(connectionId);
    if (!cursor || !connection) return this.view(connectionId, filterId);
    const abort = new AbortController();
    entry.abort = abort;
    entry.loadingMore = true;
    entry.inflight = (async () => {
      try {
        const page = await this.page(connection, entry.filter.jql, cursor, abort.signal);
        if (abort.signal.aborted) return;
        const seen = new Set(entry.issues.map((i) => i.key));
        // Results can shift between pages while people work; never list an issue twice.
        entry.issues = [...entry.issues, ...page.issues.filter((i) => !seen.has(i.key))];
        entry.cursor = page.cursor;
        entry.error = undefined;
        entry.errorDuringMore = false;
      } catch (err) {
        if (abort.signal.aborted) return;
        entry.error = this.explain(err, connection, entry.filter);
        entry.errorDuringMore = true;
      } finally {
        if (entry.abort === abort) {
          entry.loadingMore = false;
          entry.inflight = undefined;
        }
      }
    })();
    this.fire({ connectionId, filterId });
    await entry.inflight;
    this.fire({ connectionId, filterId });
    return this.view(connectionId, filterId);
  }

  /** Reloads every filter that has been loaded (of one connection, or all), keeping what was shown. */
  async refresh(connectionId?: string): Promise<void> {
    const work: Promise<void>[] = [];
    for (const entry of this.entries.values()) {
      if (entry.status === 'idle' || (connectionId !== undefined && entry.connectionId !== connectionId)) continue;
      work.push(this.reload(entry.connectionId, entry.filter.id, entry, entry.issues.length));
    }
    await Promise.all(work);
  }

  /** What the badge counts: the default filter's matches over every connection. */
  assignedCount(): { readonly count: number; readonly more: boolean } | undefined {
    let count = 0;
    let more = false;
    let known = false;
    for (const connection of this.connections()) {
      const entry = this.entries.get(key(connection.id, DEFAULT_FILTER.id));
      if (!entry || entry.status === 'idle' || (entry.status === 'error' && entry.issues.length === 0)) continue;
      known = true;
      count += entry.total ?? entry.issues.length;
      if (entry.total === undefined && entry.cursor) more = true;
    }
    return known ? { count, more } : undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    for (const entry of this.entries.values()) entry.abort?.abort();
    this.listeners.clear();
  }

  private reload(connectionId: string, filterId: string, entry: Entry, keep: number): Promise<void> {
    entry.abort?.abort();
    const abort = new AbortController();
    entry.abort = abort;
    entry.status = 'loading';
    entry.loadingMore = false;
    const connection = this.findConnection(connectionId);
    entry.inflight = (async () => {
      try {
        if (!connection) throw new Error(l10n.t('This connection no longer exists.'));
        const { issues, cursor, total } = await this.firstPages(
          connection,
          entry.filter.jql,
          Math.min(keep, MAX_RESTORED),
          abort.signal,
        );
        if (abort.signal.aborted) return;
        Object.assign(entry, {
          status: 'ready',
          issues,
          cursor,
          total,
          error: undefined,
          errorDuringMore: false,
          loadedAt: this.now(),
        });
      } catch (err) {
        if (abort.signal.aborted) return;
        Object.assign(entry, {
          status: 'error',
          error: connection
            ? this.explain(err, connection, entry.filter)
            : this.redacted(explainError(err, { site: connectionId })),
          errorDuringMore: false,
        });
      } finally {
        if (entry.abort === abort) entry.inflight = undefined;
      }
    })();
    this.fire({ connectionId, filterId });
    return entry.inflight.then(() => {
      if (entry.abort === abort) this.fire({ connectionId, filterId });
    });
  }

  private async firstPages(connection: ConnectionInfo, jql: string, keep: number, signal: AbortSignal) {
    if (connection.state === 'needsReconnect') throw new ReconnectFirst();
    const api = this.options.jira(connection);
    // The count is a nicety: a failure (or Data Center, which has none) leaves it unknown.
    const [first, total] = await Promise.all([
      this.page(connection, jql, undefined, signal),
      api.approximateCount(jql, signal).catch(() => undefined),
    ]);
    const issues = [...first.issues];
    let cursor = first.cursor;
    while (cursor && issues.length < keep) {
      const next = await this.page(connection, jql, cursor, signal);
      const seen = new Set(issues.map((i) => i.key));
      issues.push(...next.issues.filter((i) => !seen.has(i.key)));
      cursor = next.cursor;
    }
    return { issues, cursor, total: total ?? first.total };
  }

  private async page(connection: ConnectionInfo, jql: string, cursor: Cursor | undefined, signal: AbortSignal) {
    const api = this.options.jira(connection);
    try {
      const page = await api.search({
        jql,
        fields: ISSUE_FIELDS,
        limit: this.pageSize,
        pageToken: cursor && 'token' in cursor ? cursor.token : undefined,
        startAt: cursor && 'startAt' in cursor ? cursor.startAt : undefined,
        signal,
      });
      this.options.onApiOutcome?.(connection.id, undefined);
      const next: Cursor | undefined =
        page.nextPageToken !== undefined
          ? { token: page.nextPageToken }
          : page.nextStartAt !== undefined
            ? { startAt: page.nextStartAt }
            : undefined;
      return { issues: page.issues.map(toIssueSummary), cursor: next, total: page.total };
    } catch (err) {
      if (!signal.aborted) this.options.onApiOutcome?.(connection.id, err);
      throw err;
    }
  }

  private explain(err: unknown, connection: ConnectionInfo, filter: IssueFilter): Explanation {
    const context = {
      site: connection.siteName,
      method: connection.method,
      reason: connection.stateReason,
      badRequestTodo:
        filter.id === DEFAULT_FILTER.id
          ? l10n.t('Jira refused the built-in query; run "Atlassian: Run Diagnostics" and report it.')
          : l10n.t('Fix the JQL of the filter "{0}" in the "atlassianMcpBridge.issues.filters" setting.', filter.name),
    };
    if (err instanceof ReconnectFirst) {
      return {
        kind: 'needsReconnect',
        what: signInUnusable(connection.siteName, connection.stateReason),
        todo: reconnectTodo(),
        remedy: 'reconnect',
      };
    }
    return this.redacted(explainError(err, context));
  }

  private redacted(explanation: Explanation): Explanation {
    return this.options.redact ? { ...explanation, what: this.options.redact(explanation.what) } : explanation;
  }

  private entry(connectionId: string, filterId: string): Entry {
    const k = key(connectionId, filterId);
    let entry = this.entries.get(k);
    if (!entry) {
      const filter = [DEFAULT_FILTER, ...this.filters].find((f) => f.id === filterId);
      if (!filter) throw new Error(l10n.t('No issue filter "{0}".', filterId));
      entry = {
        connectionId,
        filter,
        status: 'idle',
        issues: [],
        cursor: undefined,
        total: undefined,
        error: undefined,
        errorDuringMore: false,
        loadingMore: false,
        loadedAt: undefined,
        inflight: undefined,
        abort: undefined,
      };
      this.entries.set(k, entry);
    }
    return entry;
  }

  private listedIds(): string {
    return this.connections()
      .map((c) => c.id)
      .join('\u0000');
  }

  private states(): Map<string, ConnectionInfo['state']> {
    return new Map(this.options.connections.list().map((c) => [c.id, c.state]));
  }

  /** Sign-ins, sign-outs and reconnects change the lists; token refreshes (also a change) do not. */
  private connectionsChanged(): void {
    const before = this.knownStates;
    const now = this.states();
    this.knownStates = now;
    let changed = before.size !== now.size;
    for (const [k, entry] of this.entries) {
      const state = now.get(entry.connectionId);
      if (state === undefined || (state === 'connected' && before.get(entry.connectionId) === 'needsReconnect')) {
        entry.abort?.abort();
        this.entries.delete(k);
      }
    }
    for (const [id, state] of now) if (before.get(id) !== state) changed = true;
    // A new default can change which of two connections to one site and account is listed.
    const listed = this.listedIds();
    if (listed !== this.knownListed) changed = true;
    this.knownListed = listed;
    if (changed) this.fire(undefined);
  }

  private fire(change: FilterChange | undefined): void {
    for (const listener of this.listeners) listener(change);
  }
}

export interface FilterChange {
  readonly connectionId: string;
  readonly filterId: string;
}

/** Thrown instead of a request when the connection is known to need a new sign-in. */
class ReconnectFirst extends Error {}

function key(connectionId: string, filterId: string): string {
  return `${connectionId}\u0000${filterId}`;
}
