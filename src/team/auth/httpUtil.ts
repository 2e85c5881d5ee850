// Small request/response helpers for the authorization server's node:http handlers.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** OAuth requests are small; anything larger is refused before it is buffered. */
const MAX_FORM_BYTES = 64 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    description: string,
  ) {
    super(description);
  }
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new HttpError(413, 'invalid_request', 'Request body too large.');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Form (token, site choice) or JSON (registration) parameters as a flat string map. */
export async function readParams(req: IncomingMessage): Promise<URLSearchParams> {
  const text = await readBody(req);
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return new URLSearchParams(text);
  throw new HttpError(400, 'invalid_request', 'Expected application/x-www-form-urlencoded.');
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'invalid_client_metadata', 'The body is not JSON.');
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, {
    'Content-Type': 'application/json',
    // Token responses must not be cached (RFC 6749 §5.1); nothing here should be.
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(JSON.stringify(body));
}

/**
 * `formTarget`: where a form's answer redirects to (the client's registered redirect URI). Browsers
 * apply `form-action` to the redirects after a submit too, so without it the consent would stop there.
 */
export function sendHtml(res: ServerResponse, status: number, html: string, formTarget?: string): void {
  const formAction = ["'self'", ...(formTarget ? [cspSource(formTarget)] : [])].join(' ');
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': `default-src 'none'; style-src 'unsafe-inline'; form-action ${formAction}`,
    'X-Frame-Options': 'DENY',
  });
  res.end(html);
}

/** A CSP source for a URL: its origin for http(s), its scheme for an app's own (`vscode:`). */
function cspSource(url: string): string {
  const parsed = new URL(url);
  return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : parsed.protocol;
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { Location: location, 'Cache-Control': 'no-store' });
  res.end();
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** `base` with these query parameters set (undefined ones left out). */
export function withParams(base: string, params: Record<string, string | undefined>): string {
  const url = new URL(base);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return url.toString();
}
