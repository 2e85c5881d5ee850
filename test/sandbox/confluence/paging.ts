// Confluence v2 cursor pagination: an opaque `cursor`, `_links.next` as a URL relative to the site
// root (it starts with /wiki), `_links.base`, and the same links in the `Link` header.
import type { Request, Response } from 'express';
import { ConfluenceError } from './store';

export interface PageRequest {
  readonly offset: number;
  readonly limit: number;
}

const CURSOR_PREFIX = 'sbx1:';

export function encodeCursor(offset: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${offset}`, 'utf8').toString('base64url');
}

/** Offset behind a cursor; anything we did not mint is a 400, like a tampered real cursor. */
export function decodeCursor(cursor: string): number {
  const decoded = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = new RegExp(`^${CURSOR_PREFIX}(\\d{1,9})$`).exec(decoded);
  if (!match) throw new ConfluenceError(400, `Invalid cursor: ${cursor}`);
  return Number(match[1]);
}

/** Reads a single query parameter (the last one wins if repeated). */
export function queryParam(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (Array.isArray(value)) return value.length > 0 ? String(value[value.length - 1]) : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** An array parameter: repeated and/or comma-separated (`space-id=1,2&space-id=3`). */
export function queryList(req: Request, name: string): string[] | undefined {
  const raw = req.query[name];
  if (raw === undefined) return undefined;
  const values = (Array.isArray(raw) ? raw : [raw]).map(String);
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

export function readLimit(req: Request, defaultLimit = 25, max = 250): number {
  const raw = queryParam(req, 'limit');
  if (raw === undefined) return defaultLimit;
  const limit = Number(raw);
  if (!/^\d+$/.test(raw) || limit < 1 || limit > max) {
    throw new ConfluenceError(400, `limit must be an integer between 1 and ${max}, but was: ${raw}`);
  }
  return limit;
}

export function readPage(req: Request, defaultLimit = 25): PageRequest {
  const cursor = queryParam(req, 'cursor');
  return { offset: cursor === undefined ? 0 : decodeCursor(cursor), limit: readLimit(req, defaultLimit) };
}

/** `/wiki/api/v2/...?…&cursor=…`: the request's own URL with the cursor moved on. */
function nextUrl(req: Request, offset: number): string {
  const query = new URLSearchParams(
    req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '',
  );
  query.delete('cursor');
  query.append('cursor', encodeCursor(offset));
  return `/wiki${req.path}?${query.toString()}`;
}

/** Sends one page of a v2 collection. */
export function sendPage<T, R>(
  req: Request,
  res: Response,
  items: readonly T[],
  page: PageRequest,
  base: string,
  render: (item: T) => R,
): void {
  const slice = items.slice(page.offset, page.offset + page.limit);
  const next = page.offset + page.limit < items.length ? nextUrl(req, page.offset + page.limit) : undefined;
  res.set('Link', [...(next ? [`<${next}>; rel="next"`] : []), `<${base}>; rel="base"`].join(', '));
  res.json({ results: slice.map(render), _links: next ? { next, base } : { base } });
}
