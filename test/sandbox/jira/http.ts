// HTTP plumbing shared by the Jira routes: Jira's JSON media type, its RFC 7807 refusals for unknown
// endpoints, wrong methods and unconvertible query parameters, body checks, paging parameters, and a
// handler wrapper that enforces OAuth scopes and turns JQL errors into Jira's 400.
import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import { context, requireScope, type RequestContext } from '../context';
import type { SandboxUser } from '../data/users';
import { JqlError } from '../jql';
import { hashString } from './prng';
import type { View } from './render';
import type { JiraStore } from './store';

export const JIRA_JSON = 'application/json;charset=UTF-8';
const PROBLEM_JSON = 'application/problem+json;charset=UTF-8';

/**
 * Sends JSON with Jira's exact media type. `res.send` would rewrite it to `application/json;
 * charset=utf-8`, so the body is written directly.
 */
export function sendJson(res: Response, status: number, body: unknown, type = JIRA_JSON): void {
  res.status(status).setHeader('Content-Type', type);
  res.end(JSON.stringify(body));
}

/** Jira's ErrorCollection: `{ errorMessages, errors }`. */
export function sendJiraError(
  res: Response,
  status: number,
  errorMessages: readonly string[],
  errors: Record<string, string> = {},
): void {
  sendJson(res, status, { errorMessages, errors });
}

/** The request path as the product sees it (relative to the site or gateway base), no query. */
export function vendorPath(req: Request, res: Response): string {
  const path = req.originalUrl.split('?')[0] ?? '';
  const basePath = new URL(context(res).jiraBase).pathname.replace(/\/$/, '');
  return basePath && path.startsWith(basePath) ? path.slice(basePath.length) || '/' : path;
}

function problem(res: Response, status: number, title: string, detail: string, instance: string): void {
  sendJson(res, status, { type: 'about:blank', title, status, detail, instance }, PROBLEM_JSON);
}

/** Jira's 404 for a path it serves nothing at. */
export function noEndpoint(req: Request, res: Response): void {
  const path = vendorPath(req, res);
  problem(res, 404, 'Not Found', `No endpoint ${req.method} ${path}.`, path);
}

function methodNotAllowed(allow: readonly string[]): RequestHandler {
  return (req, res) => {
    // OPTIONS is answered, not refused: an empty page naming the methods (Jira lists them without spaces).
    if (req.method === 'OPTIONS') {
      res.status(200).setHeader('Allow', [...allow, 'HEAD', 'OPTIONS'].join(','));
      res.setHeader('Content-Type', 'text/html;charset=UTF-8');
      res.end();
      return;
    }
    res.setHeader('Allow', allow.join(', '));
    problem(res, 405, 'Method Not Allowed', `Method '${req.method}' is not supported.`, vendorPath(req, res));
  };
}

/** Jira answers a query parameter it cannot convert with RFC 7807. */
export class ParamError extends Error {
  constructor(
    readonly param: string,
    readonly value: string,
  ) {
    super(`Failed to convert '${param}' with value: '${value}'`);
  }
}

/** A 400 in Jira's ErrorCollection shape, thrown from deep inside a handler. */
export class JiraHttpError extends Error {
  /** `bare`: Jira sends these body-mapping refusals as `errorMessages` alone, without `errors`. */
  constructor(
    readonly status: number,
    readonly errorMessages: readonly string[],
    readonly errors: Record<string, string> = {},
    readonly bare = false,
  ) {
    super(errorMessages.join(' ') || Object.values(errors).join(' '));
  }
}

export function notFound(message: string): JiraHttpError {
  return new JiraHttpError(404, [message]);
}

export function badRequest(messages: readonly string[], errors: Record<string, string> = {}): JiraHttpError {
  return new JiraHttpError(400, messages, errors);
}

export function queryString(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** All values of a repeatable, comma-separable query parameter (`fields=a,b&fields=c`). */
export function queryList(req: Request, name: string): string[] {
  const value = req.query[name];
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items
    .filter((v): v is string => typeof v === 'string')
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

export function queryInt(req: Request, name: string, fallback: number): number {
  const raw = queryString(req, name);
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw.trim())) throw new ParamError(name, raw);
  return Number(raw.trim());
}

export function queryBool(req: Request, name: string): boolean {
  return queryString(req, name)?.toLowerCase() === 'true';
}

/** Offset paging as Jira's PageBeans do it: negatives clamp to the floor, maxResults to a ceiling. */
export function paging(req: Request, defaultMax: number, cap: number): { startAt: number; maxResults: number } {
  const startAt = Math.max(0, queryInt(req, 'startAt', 0));
  const maxResults = Math.min(cap, Math.max(0, queryInt(req, 'maxResults', defaultMax)));
  return { startAt, maxResults };
}

/** The JSON body as an object, or the 400/415 Jira answers for bodies it cannot map. */
export function bodyObject(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  if (body === undefined) {
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (hasBody && !req.is('application/json')) throw new MediaTypeError(req.headers['content-type'] ?? 'null');
    throw new JiraHttpError(400, ['No content to map to Object due to end of input'], {}, true);
  }
  if (!isRecord(body)) {
    throw new JiraHttpError(
      400,
      ['Invalid request payload. Refer to the REST API documentation and try again.'],
      {},
      true,
    );
  }
  return body;
}

/** A path Jira does not serve on this flavour (e.g. /search/jql on Data Center). */
export class NoEndpointError extends Error {}

/** A body Jira's reader cannot bind (unknown members, wrong types): RFC 7807 "Failed to read request". */
export class ReadRequestError extends Error {
  constructor() {
    super('Failed to read request');
  }
}

/** Jira refuses a body in a media type the operation does not consume (RFC 7807, 415). */
export class MediaTypeError extends Error {
  constructor(readonly contentType: string) {
    super(`Content-Type '${contentType}' is not supported.`);
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// --- routes --------------------------------------------------------------------------------------------

export interface Call {
  readonly req: Request;
  readonly res: Response;
  readonly ctx: RequestContext;
  readonly store: JiraStore;
  readonly user: SandboxUser;
  readonly view: View;
}

export type CallHandler = (call: Call) => void | Promise<void>;

export interface Endpoint {
  readonly scopes: readonly string[] | null;
  readonly run: CallHandler;
}

type Method = 'get' | 'post' | 'put' | 'delete';

export type ViewFor = (req: Request, ctx: RequestContext, store: JiraStore) => View;

/**
 * Registers the handlers of one path; any other method answers Jira's 405 with `Allow`.
 * Scopes: any one of the listed classic or granular scopes suffices; null = none needed.
 */
export function route(
  router: Router,
  path: string,
  storeFor: (ctx: RequestContext) => JiraStore,
  viewFor: ViewFor,
  methods: Partial<Record<Method, Endpoint>>,
): void {
  for (const [method, endpoint] of Object.entries(methods) as [Method, Endpoint][]) {
    router[method](path, async (req: Request, res: Response, next: NextFunction) => {
      if (endpoint.scopes && !requireScope(req, res, endpoint.scopes)) return;
      const ctx = context(res);
      const store = storeFor(ctx);
      try {
        await endpoint.run({ req, res, ctx, store, user: ctx.user, view: viewFor(req, ctx, store) });
      } catch (error) {
        if (!respondToError(req, res, error)) next(error);
      }
    });
  }
  router.all(path, methodNotAllowed(Object.keys(methods).map((m) => m.toUpperCase())));
}

function respondToError(req: Request, res: Response, error: unknown): boolean {
  if (error instanceof JqlError) {
    sendJiraError(res, 400, error.errorMessages);
    return true;
  }
  if (error instanceof JiraHttpError) {
    if (error.bare) {
      sendJson(res, error.status, { errorMessages: error.errorMessages });
    } else {
      sendJiraError(res, error.status, error.errorMessages, error.errors);
    }
    return true;
  }
  if (error instanceof ParamError) {
    problem(res, 400, 'Bad Request', error.message, vendorPath(req, res));
    return true;
  }
  if (error instanceof NoEndpointError) {
    noEndpoint(req, res);
    return true;
  }
  if (error instanceof ReadRequestError) {
    problem(res, 400, 'Bad Request', error.message, vendorPath(req, res));
    return true;
  }
  if (error instanceof MediaTypeError) {
    res.setHeader('Accept', 'application/json');
    problem(res, 415, 'Unsupported Media Type', error.message, vendorPath(req, res));
    return true;
  }
  return false;
}

/** Body-parser failures in Jira's words. */
export function jsonErrorHandler(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  const type = isRecord(error) ? error.type : undefined;
  if (type === 'entity.parse.failed') {
    sendJson(res, 400, { errorMessages: ['There was an error parsing JSON. Check that your request body is valid.'] });
    return;
  }
  if (type === 'entity.too.large') {
    sendJiraError(res, 413, ['Request entity too large']);
    return;
  }
  next(error);
}

/** Offset page shape used by PageBeans (`values`) with absolute self/nextPage links. */
export function pageBean<T>(
  req: Request,
  res: Response,
  all: readonly T[],
  startAt: number,
  maxResults: number,
): Record<string, unknown> {
  const values = all.slice(startAt, startAt + maxResults);
  const isLast = startAt + values.length >= all.length;
  const search = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
  const absolute = `${context(res).jiraBase}${vendorPath(req, res)}${search}`;
  const out: Record<string, unknown> = { self: absolute, maxResults, startAt, total: all.length, isLast, values };
  if (!isLast) {
    const next = new URL(absolute);
    next.searchParams.set('startAt', String(startAt + values.length));
    next.searchParams.set('maxResults', String(maxResults));
    out.nextPage = next.toString();
  }
  return out;
}

// --- token paging (search/jql and the Jira Software API) -----------------------------------------------------

const BAD_TOKEN = 'The provided nextPageToken is invalid or has expired.';

/** An opaque cursor bound to the query it pages through; a token from another query is refused. */
export function pageToken(offset: number, query: string): string {
  return Buffer.from(JSON.stringify({ o: offset, q: hashString(query).toString(36) })).toString('base64url');
}

export function readPageToken(token: string, query: string): number {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (
      isRecord(decoded) &&
      typeof decoded.o === 'number' &&
      decoded.o >= 0 &&
      decoded.q === hashString(query).toString(36)
    )
      return decoded.o;
  } catch {
    // not ours: answered below
  }
  throw badRequest([BAD_TOKEN]);
}
