// A remote MCP server's error answer as text, read within bounds: the forwarding endpoint relays
// it only after removing the credentials of the request, which a server may echo.
import type { IncomingMessage } from 'node:http';

const MAX_ERROR_BODY = 64 * 1024;

/** An error body as text: at most 64 KiB read, decompressed to at most 256 KiB; undefined when unreadable. */
export async function readErrorBody(res: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= MAX_ERROR_BODY) {
      res.destroy();
      break;
    }
  }
  const raw = Buffer.concat(chunks).subarray(0, MAX_ERROR_BODY);
  const encoding = String(res.headers['content-encoding'] ?? '').toLowerCase();
  if (!['gzip', 'deflate', 'br'].includes(encoding)) return raw.toString('utf8');
  // Loaded only for a compressed error answer.
  const zlib = await import('node:zlib');
  const options = { maxOutputLength: 4 * MAX_ERROR_BODY, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  try {
    const decoded =
      encoding === 'br'
        ? zlib.brotliDecompressSync(raw, { maxOutputLength: options.maxOutputLength })
        : encoding === 'gzip'
          ? zlib.gunzipSync(raw, options)
          : zlib.inflateSync(raw, options);
    return decoded.toString('utf8');
  } catch {
    return undefined;
  }
}
