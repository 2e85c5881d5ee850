// Limits the streamable-HTTP server enforces before any work is done for a caller: how long a request
// may take to arrive, how many connections may be open, how large a body may be (small for JSON-RPC,
// large only for an attachment upload) and that one request holds one JSON-RPC message, not a batch.
import type { IncomingMessage, Server } from 'node:http';
import { isIP, type Socket } from 'node:net';
import { networkInterfaces } from 'node:os';

/** JSON-RPC bodies: enough for any tool call but an upload. */
export const SMALL_BODY_BYTES = 1024 * 1024;

/** A jira_upload_attachment call: 10 MB of file, base64-encoded, plus the envelope. */
export const UPLOAD_BODY_BYTES = 15 * 1024 * 1024;

/** Large bodies in flight at once: uploads are rare, and each one is held in memory. */
const MAX_LARGE_BODIES = 2;

export const LIMITS = {
  headersTimeoutMs: 15_000,
  requestTimeoutMs: 60_000,
  keepAliveTimeoutMs: 5_000,
  /** Connections past this many get 503 + Retry-After: a client or load balancer can retry that safely. */
  busyConnections: 64,
  /** The last defence: connections past this many are closed as they are accepted. */
  maxConnections: 128,
} as const;

/** A request the guards refuse, with the HTTP status and the JSON-RPC code to answer with. */
export class GuardError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Connections accepted while the server already had busyConnections open. */
const overLimit = new WeakSet<Socket>();
let openConnections = 0;

export function hardenServer(server: Server): void {
  server.headersTimeout = LIMITS.headersTimeoutMs;
  server.requestTimeout = LIMITS.requestTimeoutMs;
  server.keepAliveTimeout = LIMITS.keepAliveTimeoutMs;
  server.maxConnections = LIMITS.maxConnections;
  server.on('connection', (socket: Socket) => {
    if (++openConnections > LIMITS.busyConnections) overLimit.add(socket);
    socket.once('close', () => openConnections--);
  });
}

/**
 * True for a request on a connection accepted past the limit while the server is still that full. A
 * connection Node closes unanswered leaves the caller "fetch failed", which no load balancer may retry
 * once the request was sent; a 503 says to retry.
 */
export function overConnectionLimit(req: IncomingMessage): boolean {
  if (!overLimit.has(req.socket)) return false;
  if (openConnections > LIMITS.busyConnections) return true;
  overLimit.delete(req.socket);
  return false;
}

let largeInFlight = 0;

const tooLarge = (limit: number) =>
  new GuardError(
    413,
    -32600,
    `Request body too large: at most ${limit} bytes (attachment uploads ${UPLOAD_BODY_BYTES}).`,
  );

/** True when the start of a body is a single tools/call of jira_upload_attachment. */
function isUpload(head: string): boolean {
  return (
    /^\s*\{/.test(head) &&
    /"name"\s*:\s*"jira_upload_attachment"/.test(head) &&
    /"method"\s*:\s*"tools\/call"/.test(head)
  );
}

/** The parsed JSON-RPC message of a request, within the body limits; a batch is refused. */
export async function readMessage(req: IncomingMessage): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > UPLOAD_BODY_BYTES) throw tooLarge(SMALL_BODY_BYTES);
  const chunks: Buffer[] = [];
  let size = 0;
  let large = false;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      chunks.push(chunk);
      if (size > SMALL_BODY_BYTES && !large) {
        const head = Buffer.concat(chunks)
          .subarray(0, 64 * 1024)
          .toString('utf8');
        if (!isUpload(head) || largeInFlight >= MAX_LARGE_BODIES) throw tooLarge(SMALL_BODY_BYTES);
        large = true;
        largeInFlight++;
      }
      if (size > UPLOAD_BODY_BYTES) throw tooLarge(SMALL_BODY_BYTES);
    }
  } finally {
    if (large) largeInFlight--;
  }
  let message: unknown;
  try {
    message = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new GuardError(400, -32700, 'Parse error: the body is not JSON.');
  }
  if (Array.isArray(message))
    throw new GuardError(400, -32600, 'JSON-RPC batches are not accepted: send one message per request.');
  return message;
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '::1'];
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

/** An address or name as it appears in a Host header: IPv6 literals in brackets, lowercase. */
function hostName(host: string): string {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return isIP(bare) === 6 ? `[${bare}]` : bare;
}

/**
 * The Host header values the server answers, whatever address it is bound to (DNS rebinding: a
 * page on evil.example resolving to our address sends `Host: evil.example:PORT`). A specific
 * address allows itself (loopback also by name); a wildcard allows loopback and this machine's
 * interface addresses; MCP_ALLOWED_HOSTS adds names (with or without a port).
 */
export function allowedHostHeaders(
  bound: string,
  port: number,
  extra: readonly string[],
  interfaces: () => string[] = interfaceAddresses,
): Set<string> {
  const bare = bound.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const names = LOOPBACK_NAMES.includes(bare)
    ? LOOPBACK_NAMES
    : WILDCARDS.has(bare)
      ? [...LOOPBACK_NAMES, ...interfaces()]
      : [bare];
  return new Set([
    ...names.map((name) => `${hostName(name)}:${port}`),
    ...extra.flatMap((h) => {
      const name = h.toLowerCase();
      // `name:port` or `[v6]:port` as given; a bare name (or v6 address) without a port (a front on
      // its default port) and on the bound port.
      return /^\[.*\]:\d+$|^[^:]+:\d+$/.test(name) ? [name] : [hostName(name), `${hostName(name)}:${port}`];
    }),
  ]);
}

function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((list) =>
    (list ?? []).map((info) => info.address.replace(/%.*$/, '')),
  );
}
