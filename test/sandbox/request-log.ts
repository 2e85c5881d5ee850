// Records what clients actually sent, so tests can assert on traffic (e.g. "50 concurrent callers
// caused exactly one token refresh") rather than trusting the client's own account of it.
import type { NextFunction, Request, Response } from 'express';

export type LoggedAuthKind = 'oauth' | 'basic' | 'pat' | 'none';

export interface LogEntry {
  readonly method: string;
  /** Path without the query string, e.g. `/auth/oauth/token`. */
  readonly path: string;
  /** Path and query string as sent. */
  readonly url: string;
  /** The kind of credential the request presented (not whether it was accepted). */
  readonly authKind: LoggedAuthKind;
  /** Final status; 0 when the connection was dropped without a response. */
  readonly status: number;
  /** Sandbox clock (ms) when the request arrived. */
  readonly at: number;
  /** Whose OAuth token the gateway accepted on this request (the account id), so tests see who called. */
  readonly accountId?: string;
}

export interface LogFilter {
  method?: string;
  /** Exact path, or a RegExp tested against the path. */
  path?: string | RegExp;
  status?: number;
  authKind?: LoggedAuthKind;
  accountId?: string;
}

/** Old entries are dropped past this many, so a long-running demo does not grow without bound. */
const MAX_ENTRIES = 10_000;

export class RequestLog {
  private readonly items: LogEntry[] = [];

  entries(filter: LogFilter = {}): LogEntry[] {
    return this.items.filter((entry) => matches(entry, filter));
  }

  count(filter: LogFilter = {}): number {
    return this.entries(filter).length;
  }

  clear(): void {
    this.items.length = 0;
  }

  add(entry: LogEntry): void {
    this.items.push(entry);
    if (this.items.length > MAX_ENTRIES) this.items.splice(0, this.items.length - MAX_ENTRIES);
  }
}

function matches(entry: LogEntry, filter: LogFilter): boolean {
  if (filter.method !== undefined && entry.method !== filter.method.toUpperCase()) return false;
  if (filter.status !== undefined && entry.status !== filter.status) return false;
  if (filter.authKind !== undefined && entry.authKind !== filter.authKind) return false;
  if (filter.accountId !== undefined && entry.accountId !== filter.accountId) return false;
  if (filter.path === undefined) return true;
  return typeof filter.path === 'string' ? entry.path === filter.path : filter.path.test(entry.path);
}

/** Which credential a request carries: PAT bearer on the Data Center mount, OAuth bearer elsewhere. */
export function presentedAuthKind(req: Request): LoggedAuthKind {
  const header = req.get('authorization') ?? '';
  if (/^basic\s/i.test(header)) return 'basic';
  if (/^bearer\s/i.test(header)) return req.path.startsWith('/dc/') || req.path === '/dc' ? 'pat' : 'oauth';
  return 'none';
}

/** Logs every request except the test-control endpoints once its response ends (or is dropped). */
export function requestLogger(log: RequestLog, now: () => number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.path.startsWith('/__sandbox/')) {
      next();
      return;
    }
    const at = now();
    const base = { method: req.method, path: req.path, url: req.originalUrl, authKind: presentedAuthKind(req), at };
    res.once('close', () => {
      const accountId = (res.locals.oauth as { user?: { accountId?: string } } | undefined)?.user?.accountId;
      log.add({ ...base, status: res.writableFinished ? res.statusCode : 0, ...(accountId ? { accountId } : {}) });
    });
    next();
  };
}
