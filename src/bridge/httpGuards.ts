// Limits the streamable-HTTP server enforces before any work is done for a caller: how long a request
// may take to arrive, how many connections may be open, how large a body may be (small for JSON-RPC,
// large only for an attachment upload) and that one request holds one JSON-RPC message, not a batch.
import type { IncomingMessage, Server } from 'node:http';

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
  maxConnections: 64,
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

export function hardenServer(server: Server): void {
  server.headersTimeout = LIMITS.headersTimeoutMs;
  server.requestTimeout = LIMITS.requestTimeoutMs;
  server.keepAliveTimeout = LIMITS.keepAliveTimeoutMs;
  server.maxConnections = LIMITS.maxConnections;
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
