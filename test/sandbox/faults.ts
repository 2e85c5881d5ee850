// Scripted failures, switchable per test and per route: the ways real Atlassian calls go wrong
// (429s with their headers, 5xx, slowness, dropped connections), and what a hostile or broken site
// does (echoes the caller's credentials in an error, answers with a gzip bomb, redirects), applied
// before auth and routers.
import type { NextFunction, Request, Response } from 'express';
import { gzipSync } from 'node:zlib';
import { z } from 'zod';
import { confluenceV2Error, jiraError, oauthError } from './errors';

export const RATE_LIMIT_REASONS = [
  'jira-burst-based',
  'jira-per-issue-on-write',
  'jira-quota-tenant-based',
  'jira-quota-global-based',
] as const;

const routeShape = {
  /** HTTP method to match; any method when absent. */
  method: z.string().optional(),
  /** Path to match (no query): exact, or a glob where `*` is one path segment and `**` anything. */
  path: z.string().min(1),
  /** How many matching requests the fault hits; until cleared when absent. */
  times: z.number().int().positive().optional(),
};

/** A fault rule as JSON (the in-process API also takes a RegExp path). */
export const faultRuleSchema = z.discriminatedUnion('kind', [
  z.object({
    ...routeShape,
    kind: z.literal('rateLimit'),
    retryAfterSeconds: z.number().int().nonnegative().default(5),
    reason: z.enum(RATE_LIMIT_REASONS).default('jira-burst-based'),
    nearLimit: z.boolean().default(false),
    /** Like Atlassian: a retry before Retry-After elapses gets another 429 (not counted in `times`). */
    enforceRetryAfter: z.boolean().default(false),
  }),
  z.object({
    ...routeShape,
    kind: z.literal('error'),
    status: z.number().int().min(500).max(599).default(503),
    retryAfterSeconds: z.number().int().nonnegative().optional(),
  }),
  z.object({ ...routeShape, kind: z.literal('delay'), ms: z.number().int().nonnegative() }),
  z.object({ ...routeShape, kind: z.literal('drop') }),
  /** An error whose message repeats the request's Authorization (and a Basic login decoded). */
  z.object({
    ...routeShape,
    kind: z.literal('echoCredentials'),
    status: z.number().int().min(400).max(599).default(400),
  }),
  /** 200 with `Content-Encoding: gzip`: a few hundred KiB that inflate to `inflatedMiB` of JSON-looking bytes. */
  z.object({ ...routeShape, kind: z.literal('gzipBomb'), inflatedMiB: z.number().int().positive().default(300) }),
  z.object({
    ...routeShape,
    kind: z.literal('redirect'),
    status: z.number().int().min(300).max(399).default(302),
    location: z.string().min(1),
  }),
]);

type JsonFaultRule = z.input<typeof faultRuleSchema>;
type ParsedFaultRule = z.output<typeof faultRuleSchema>;
/** In-process rules may match the path with a RegExp instead of a glob. */
export type FaultRule = WithAnyPath<JsonFaultRule>;
type WithAnyPath<R> = R extends unknown ? Omit<R, 'path'> & { path: string | RegExp } : never;

export interface ActiveFault {
  readonly id: number;
  readonly rule: FaultRule;
  /** Matches left before the rule retires itself; null = until cleared. */
  readonly remaining: number | null;
  /** Requests this rule has hit so far. */
  readonly hits: number;
  /** Body bytes this rule has written (a gzip bomb: how much the client read before it stopped). */
  readonly bytesSent: number;
}

interface Entry {
  id: number;
  rule: FaultRule;
  parsed: ParsedFaultRule;
  pattern: RegExp;
  remaining: number | null;
  hits: number;
  bytesSent: number;
  /** Sandbox-clock ms until which early retries are refused (enforceRetryAfter). */
  blockedUntil: number;
}

export class Faults {
  private readonly rules: Entry[] = [];
  private nextId = 1;

  constructor(private readonly now: () => number) {}

  /** Adds a rule; returns its id. Later rules apply after earlier ones. */
  add(rule: FaultRule): number {
    const { path, ...rest } = rule;
    const parsed = faultRuleSchema.parse({ ...rest, path: typeof path === 'string' ? path : path.source });
    const id = this.nextId++;
    const pattern = typeof path === 'string' ? globToRegExp(path) : path;
    this.rules.push({
      id,
      rule,
      parsed,
      pattern,
      remaining: parsed.times ?? null,
      hits: 0,
      bytesSent: 0,
      blockedUntil: 0,
    });
    return id;
  }

  remove(id: number): void {
    const index = this.rules.findIndex((entry) => entry.id === id);
    if (index >= 0) this.rules.splice(index, 1);
  }

  clear(): void {
    this.rules.length = 0;
  }

  list(): ActiveFault[] {
    return this.rules.map(({ id, rule, remaining, hits, bytesSent }) => ({ id, rule, remaining, hits, bytesSent }));
  }

  /** Express middleware: delays stack, the first terminal fault (429, 5xx, drop) ends the request. */
  middleware() {
    return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
      if (req.path.startsWith('/__sandbox/')) return next();
      for (const entry of this.matching(req)) {
        const rule = entry.parsed;
        if (rule.kind === 'delay') {
          this.consume(entry);
          await sleep(rule.ms);
          continue;
        }
        if (rule.kind === 'rateLimit' && rule.enforceRetryAfter && this.now() < entry.blockedUntil) {
          const left = Math.max(1, Math.ceil((entry.blockedUntil - this.now()) / 1000));
          return sendRateLimit(req, res, { ...rule, retryAfterSeconds: left }, this.now());
        }
        this.consume(entry);
        if (rule.kind === 'drop') {
          req.socket.destroy();
          return;
        }
        if (rule.kind === 'rateLimit') {
          if (rule.enforceRetryAfter) entry.blockedUntil = this.now() + rule.retryAfterSeconds * 1000;
          return sendRateLimit(req, res, rule, this.now());
        }
        if (rule.kind === 'echoCredentials') return sendFaultBody(req, res, rule.status, echoed(req));
        if (rule.kind === 'redirect') return void res.status(rule.status).setHeader('Location', rule.location).end();
        if (rule.kind === 'gzipBomb') return sendGzipBomb(res, rule.inflatedMiB, (n) => (entry.bytesSent += n));
        return sendServerError(req, res, rule.status, rule.retryAfterSeconds);
      }
      next();
    };
  }

  private matching(req: Request): Entry[] {
    return this.rules.filter(
      (entry) =>
        (entry.parsed.method === undefined || entry.parsed.method.toUpperCase() === req.method) &&
        entry.pattern.test(req.path) &&
        // an exhausted rule still answers early retries while its Retry-After window is open
        (entry.remaining !== 0 || entry.blockedUntil > this.now()),
    );
  }

  private consume(entry: Entry): void {
    entry.hits++;
    if (entry.remaining !== null) entry.remaining--;
  }
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const source = escaped.replace(/\*\*|\*/g, (star) => (star === '**' ? '.*' : '[^/]*'));
  return new RegExp(`^${source}$`);
}

/** What a careless (or hostile) site says back: the credentials it was sent, in every form. */
function echoed(req: Request): string {
  const authorization = req.headers.authorization ?? '';
  const [scheme, credential = ''] = authorization.split(/\s+/, 2);
  const decoded = scheme?.toLowerCase() === 'basic' ? Buffer.from(credential, 'base64').toString('utf8') : '';
  const password = decoded.slice(decoded.indexOf(':') + 1);
  return `Invalid request. You sent ${authorization} (${credential}); login ${decoded}; the secret ${password} is not valid here`;
}

const bombs = new Map<number, Buffer>();

/** The bomb for `mib`, built once per size (300 MiB of filler gzips to about 300 KiB). */
function gzipBomb(mib: number): Buffer {
  let bomb = bombs.get(mib);
  if (!bomb) {
    // Starts like a JSON answer, so a client that buffers tries to parse all of it.
    const body = Buffer.alloc(mib * 1024 * 1024, 0x20);
    body.write('{"issues":[');
    bomb = gzipSync(body, { level: 9 });
    bombs.set(mib, bomb);
  }
  return bomb;
}

/** Writes the bomb as the network would, chunk by chunk with back-pressure, counting what went out. */
function sendGzipBomb(res: Response, mib: number, sent: (bytes: number) => void): void {
  const bomb = gzipBomb(mib);
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
  let offset = 0;
  const pump = () => {
    while (offset < bomb.length && !res.destroyed) {
      const chunk = bomb.subarray(offset, offset + 16 * 1024);
      offset += chunk.length;
      sent(chunk.length);
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    if (!res.destroyed) res.end();
  };
  pump();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Atlassian's `X-RateLimit-Reset` format: ISO 8601 to the minute, `yyyy-MM-ddTHH:mmZ`. */
export function formatRateLimitReset(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16)}Z`;
}

function sendRateLimit(
  req: Request,
  res: Response,
  rule: { retryAfterSeconds: number; reason: string; nearLimit: boolean },
  now: number,
): void {
  res.set({
    'Retry-After': String(rule.retryAfterSeconds),
    'X-RateLimit-Reset': formatRateLimitReset(now + rule.retryAfterSeconds * 1000),
    'RateLimit-Reason': rule.reason,
    'X-RateLimit-Limit': '100',
    'X-RateLimit-Remaining': '0',
  });
  if (rule.nearLimit) res.set('X-RateLimit-NearLimit', 'true');
  sendFaultBody(req, res, 429, 'Rate limit exceeded.');
}

function sendServerError(req: Request, res: Response, status: number, retryAfterSeconds: number | undefined): void {
  if (retryAfterSeconds !== undefined) res.set('Retry-After', String(retryAfterSeconds));
  sendFaultBody(req, res, status, 'Internal server error (sandbox fault).');
}

/** Answers in the error shape of the product the path belongs to. */
function sendFaultBody(req: Request, res: Response, status: number, message: string): void {
  if (req.path.startsWith('/auth/'))
    return oauthError(res, status, status === 429 ? 'too_many_requests' : 'server_error', message);
  if (req.path.includes('/wiki/')) return confluenceV2Error(res, status, message);
  if (req.path.includes('/rest/')) return jiraError(res, status, [message]);
  res.status(status).json({ code: status, message });
}
