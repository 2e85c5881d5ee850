// Helpers shared by the Confluence tools: page ids from URLs, spaces and the spaces filter, page
// bodies in each format, and user display names.
import { adfToMarkdown, isAdfDoc } from '../../../atlassian/adf';
import type { BodyRepresentation, ConfluenceApi } from '../../../atlassian/confluence';
import { AtlassianError } from '../../../atlassian/errors';
import { withNotFound, type Json } from '../../../atlassian/jira';
import { markdownToAdf, markdownToWiki } from '../../../atlassian/markdown';
import { notOnDataCenter } from '../../../atlassian/confluenceDc';
import { InputError, p } from '../../schema';
import type { Site } from '../../sites';
import type { ToolContext } from '../../tooling';
import { textOf } from '../../../core/text';

export const PAGE_ID = p.str('Page id, or the page URL');

export const FORMATS = ['markdown', 'storage', 'adf', 'wiki'] as const;

export type Format = (typeof FORMATS)[number];

export async function attempt<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw withNotFound(err, what);
  }
}

/** A page id from an id, a page URL (…/pages/123/Title, ?pageId=123) or a tiny link (/x/AbCd). */
export function pageIdFrom(value: string, argument: string): string {
  const v = value.trim();
  if (/^\d+$/.test(v)) return v;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new InputError(
      `Invalid argument \`${argument}\`: expected a page id (digits) or a Confluence page URL, got "${v}".`,
    );
  }
  const byPath = /\/pages\/(\d+)/.exec(url.pathname)?.[1] ?? url.searchParams.get('pageId');
  if (byPath && /^\d+$/.test(byPath)) return byPath;
  const tiny = /\/x\/([A-Za-z0-9_-]+)/.exec(url.pathname)?.[1];
  if (tiny) {
    // Tiny links are the page id's little-endian bytes in URL-ish base64.
    let b64 = tiny.replace(/-/g, '/').replace(/_/g, '+');
    while (b64.length < 8 || b64.length % 4 !== 0) b64 += 'A';
    const bytes = Buffer.from(b64, 'base64');
    let id = 0n;
    for (let i = bytes.length - 1; i >= 0; i--) id = (id << 8n) | BigInt(bytes[i]!);
    return id.toString();
  }
  throw new InputError(`Invalid argument \`${argument}\`: no page id in the URL ${v}.`);
}

/** Space keys by id, per client (site and credential: HTTP callers never share what they saw). */
const spaceKeys = new WeakMap<object, Map<string, string>>();

export async function spaceKeyOf(
  confluence: ConfluenceApi,
  spaceId: string,
  signal: AbortSignal,
): Promise<string | undefined> {
  const cache = spaceKeys.get(confluence.http) ?? new Map<string, string>();
  spaceKeys.set(confluence.http, cache);
  if (!cache.has(spaceId)) {
    const space = await confluence.space(spaceId, signal).catch(() => undefined);
    if (space && typeof space.key === 'string') cache.set(spaceId, space.key);
  }
  return cache.get(spaceId);
}

export async function spaceIdOf(
  confluence: ConfluenceApi,
  key: string,
  argument: string,
  signal: AbortSignal,
): Promise<string> {
  const spaces = await confluence.spacesByKeys([key], signal);
  const space = spaces.find((s) => String(s.key).toUpperCase() === key.toUpperCase());
  if (!space)
    throw new InputError(`Invalid argument \`${argument}\`: no space with key ${key} (or no permission to see it).`);
  return String(space.id);
}

export function allowSpace(ctx: ToolContext, key: string | undefined, what: string): void {
  const allowed = ctx.config.spacesFilter;
  if (allowed && !allowed.includes(String(key ?? '').toUpperCase())) {
    throw new InputError(
      `${what} is outside this bridge's allowed spaces (${allowed.join(', ')}; CONFLUENCE_SPACES_FILTER).`,
    );
  }
}

/** Reads a page and refuses it when its space is outside CONFLUENCE_SPACES_FILTER. */
export async function readPage(
  ctx: ToolContext,
  confluence: ConfluenceApi,
  id: string,
  bodyFormat: 'storage' | 'atlas_doc_format' | undefined,
): Promise<{ page: Json; spaceKey?: string }> {
  const page = await attempt(`Page ${id}`, () => confluence.page(id, bodyFormat, ctx.signal));
  const spaceKey =
    page.spaceId !== undefined ? await spaceKeyOf(confluence, textOf(page.spaceId), ctx.signal) : undefined;
  allowSpace(ctx, spaceKey, `Page ${id}`);
  return { page, spaceKey };
}

export function pageUrl(site: Site, page: Json): string | undefined {
  const links = (page._links as Json | undefined) ?? {};
  if (typeof links.webui !== 'string') return undefined;
  const base = typeof links.base === 'string' ? links.base : `${site.spec.url.replace(/\/+$/, '')}/wiki`;
  return base + links.webui;
}

/**
 * The page body in the requested form: Markdown from ADF (Cloud) or from storage (Data Center, which
 * has no ADF), or the raw representation.
 */
export async function bodyOf(page: Json, format: 'markdown' | 'storage' | 'adf'): Promise<unknown> {
  const body = (page.body as Json | undefined) ?? {};
  const storage = (body.storage as Json | undefined)?.value;
  if (format === 'storage') return typeof storage === 'string' ? storage : '';
  const raw = (body.atlas_doc_format as Json | undefined)?.value;
  if (raw === undefined && typeof storage === 'string') {
    if (format === 'adf') throw notOnDataCenter('ADF (content_format adf)');
    const { storageToMarkdown } = await import('../../../atlassian/storage');
    return storageToMarkdown(storage);
  }
  let adf: unknown = raw;
  if (typeof raw === 'string') {
    try {
      adf = JSON.parse(raw);
    } catch {
      adf = undefined;
    }
  }
  if (format === 'adf') return adf ?? null;
  return isAdfDoc(adf) ? adfToMarkdown(adf) : '';
}

/**
 * A body to write: Markdown becomes ADF on Cloud and wiki markup on Data Center (which converts it
 * to storage); storage, wiki and ADF pass through unchanged.
 */
export async function writeBody(
  content: unknown,
  format: Format,
  argument: string,
  flavour: 'cloud' | 'datacenter' = 'cloud',
): Promise<{ representation: BodyRepresentation; value: string }> {
  if (format === 'markdown') {
    if (typeof content !== 'string') throw new InputError(`Invalid argument \`${argument}\`: expected Markdown text.`);
    if (flavour === 'datacenter') return { representation: 'wiki', value: await markdownToWiki(content) };
    return { representation: 'atlas_doc_format', value: JSON.stringify(await markdownToAdf(content)) };
  }
  if (format === 'adf') {
    let doc: unknown = content;
    if (typeof content === 'string') {
      try {
        doc = JSON.parse(content);
      } catch {
        doc = undefined;
      }
    }
    if (!isAdfDoc(doc))
      throw new InputError(
        `Invalid argument \`${argument}\`: content_format is adf, so the content must be an ADF document ({"type":"doc","version":1,...}).`,
      );
    return { representation: 'atlas_doc_format', value: JSON.stringify(doc) };
  }
  return { representation: format, value: String(content) };
}

/**
 * Clients (site and credential) whose user lookup was refused (scope, permission), and until when not
 * to ask again: one HTTP caller's 403 says nothing about another's.
 */
const userLookupOff = new WeakMap<object, number>();

const USER_LOOKUP_PAUSE_MS = 10 * 60_000;

const USERS_PER_LOOKUP = 250;

/**
 * Display names for account ids, looked up in bulk once per call. Best effort: whatever cannot be
 * looked up is simply missing (callers show the id), and a refused lookup is not retried for a while
 * (a scope-less OAuth token would otherwise cost a token refresh on every call).
 */
export async function displayNames(
  confluence: ConfluenceApi,
  accountIds: readonly unknown[],
  signal: AbortSignal,
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const ids = [...new Set(accountIds.filter((id): id is string => typeof id === 'string' && id !== ''))];
  const site = confluence.http;
  if (ids.length === 0 || (userLookupOff.get(site) ?? 0) > Date.now()) return names;
  try {
    for (let i = 0; i < ids.length; i += USERS_PER_LOOKUP) {
      for (const user of await confluence.usersByAccountIds(ids.slice(i, i + USERS_PER_LOOKUP), signal)) {
        const name = user.displayName ?? user.publicName;
        if (typeof user.accountId === 'string' && typeof name === 'string' && name) names.set(user.accountId, name);
      }
    }
  } catch (err) {
    if (err instanceof AtlassianError && err.kind === 'cancelled') throw err;
    if (err instanceof AtlassianError && ['scope', 'forbidden', 'notFound', 'gone'].includes(err.kind))
      userLookupOff.set(site, Date.now() + USER_LOOKUP_PAUSE_MS);
  }
  return names;
}
