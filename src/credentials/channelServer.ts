// The extension's end of the credentials channel: a 127.0.0.1 HTTP endpoint on a random port that
// answers only callers holding the per-launch secret and addressing it by its loopback name (so a
// web page cannot reach it through DNS rebinding). It hands out short-lived Authorization values.
import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AUTHORIZATION_PATH,
  CHANNEL_SECRET_ENV,
  CHANNEL_URL_ENV,
  CONNECTIONS_PATH,
  type AuthorizationRequest,
  type AuthorizationResponse,
  type ChannelConnection,
} from './protocol';

export type { AuthorizationResponse, ChannelConnection } from './protocol';

/** What the extension implements with its token store. */
export interface CredentialBroker {
  connections(): Promise<readonly ChannelConnection[]> | readonly ChannelConnection[];
  /**
   * A current Authorization header value for the connection. With `rejected`, that value just got a
   * 401: refresh (unless a newer value is already at hand) rather than return it again.
   * Resolves undefined for an unknown connection id.
   */
  authorization(connectionId: string, rejected?: string): Promise<AuthorizationResponse | undefined>;
}

export interface ChannelServer {
  readonly url: string;
  readonly secret: string;
  /** The environment to give the bridge process. */
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

const MAX_BODY = 16 * 1024;

export async function startChannelServer(
  broker: CredentialBroker,
  options: { onError?: (err: unknown) => void } = {},
): Promise<ChannelServer> {
  const secret = randomBytes(32).toString('base64url');
  const expected = digest(`Bearer ${secret}`);
  let allowedHosts = new Set<string>();

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      options.onError?.(err);
      if (!res.headersSent) send(res, 500, { error: 'internal' });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!allowedHosts.has(req.headers.host ?? '')) return send(res, 403, { error: 'forbiddenHost' });
    // Browsers always send Origin on cross-site requests; the bridge never does.
    if (req.headers.origin !== undefined) return send(res, 403, { error: 'forbiddenOrigin' });
    // Compare digests so the comparison takes the same time whatever the length of the guess.
    if (!timingSafeEqual(digest(req.headers.authorization ?? ''), expected))
      return send(res, 401, { error: 'unauthorized' });

    const path = (req.url ?? '').split('?')[0];
    if (path === CONNECTIONS_PATH) {
      if (req.method !== 'GET') return send(res, 405, { error: 'methodNotAllowed' });
      return send(res, 200, { connections: await broker.connections() });
    }
    if (path === AUTHORIZATION_PATH) {
      if (req.method !== 'POST') return send(res, 405, { error: 'methodNotAllowed' });
      const request = parseAuthorizationRequest(await readBody(req));
      if (!request)
        return send(res, 400, {
          error: 'badRequest',
          message: 'Expected {"connectionId": string, "rejected"?: string}.',
        });
      const answer = await broker.authorization(request.connectionId, request.rejected);
      if (!answer) return send(res, 404, { error: 'unknownConnection' });
      return send(res, 200, answer);
    }
    send(res, 404, { error: 'notFound' });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    secret,
    env: { [CHANNEL_URL_ENV]: url, [CHANNEL_SECRET_ENV]: secret },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

function parseAuthorizationRequest(body: unknown): AuthorizationRequest | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const { connectionId, rejected } = body as Record<string, unknown>;
  if (typeof connectionId !== 'string' || !connectionId) return undefined;
  if (rejected !== undefined && typeof rejected !== 'string') return undefined;
  return { connectionId, rejected };
}
