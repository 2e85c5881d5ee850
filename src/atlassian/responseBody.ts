// Reading an answer's body within a size limit, counted after decompression, and parsing it as
// JSON when it says it is. AtlassianHttpClient reads every answer through here.

/** Thrown by readCapped; the client turns it into an AtlassianError naming the limit. */
export class ResponseTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`Response larger than ${limit} bytes`);
  }
}

/**
 * A response body, read chunk by chunk and abandoned as soon as it passes `limit` bytes. Counted
 * after decompression: a small gzip bomb stops at the limit instead of inflating in memory.
 */
export async function readCapped(response: Response, limit: number): Promise<Uint8Array> {
  if (Number(response.headers.get('content-length') ?? 0) > limit) {
    await response.body?.cancel();
    throw new ResponseTooLarge(limit);
  }
  // Optional: a fetch whose body has no reader (a test double) is read whole, then measured.
  const reader = (response.body as ReadableStream<Uint8Array> | null)?.getReader?.();
  if (!reader) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.byteLength > limit) throw new ResponseTooLarge(limit);
    return bytes;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new ResponseTooLarge(limit);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

export async function readBody(response: Response, read: () => Promise<Uint8Array>): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = new TextDecoder().decode(await read());
  if (!text) return undefined;
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}
