// Confluence Cloud's media host, as far as downloads need it: `/download/attachments/…` on the site
// answers 302 to the media host with a short-lived token in the query string, and the media host
// serves the bytes for that token alone. It refuses a request that carries credentials, so a
// client that forwards the site's Authorization header to another host is caught.
import { randomUUID } from 'node:crypto';
import express from 'express';

interface MediaFile {
  readonly data: Buffer;
  readonly mediaType: string;
  readonly name: string;
  readonly expiresAt: number;
}

/** Tokens live this long (Atlassian's are minutes); the sandbox clock decides. */
const TOKEN_TTL_MS = 5 * 60_000;
const MAX_TOKENS = 1000;

export class MediaHost {
  private readonly files = new Map<string, MediaFile>();

  constructor(private readonly now: () => number) {}

  /** The address a download redirects to, below `origin`. */
  link(origin: string, file: Omit<MediaFile, 'expiresAt'>): string {
    const token = randomUUID();
    this.files.set(token, { ...file, expiresAt: this.now() + TOKEN_TTL_MS });
    if (this.files.size > MAX_TOKENS) this.files.delete(this.files.keys().next().value!);
    const query = new URLSearchParams({ token, client: 'sandbox-confluence', dl: 'true', name: file.name });
    return `${origin}/_media/file/${randomUUID()}/binary?${query.toString()}`;
  }

  router(): express.Router {
    const router = express.Router();
    router.get('/file/:fileId/binary', (req, res) => {
      if (req.get('authorization')) {
        res.status(401).json({ error: { code: 'Unauthorized', title: 'Credentials are not accepted here' } });
        return;
      }
      const file = this.files.get(String(req.query.token ?? ''));
      if (!file || file.expiresAt < this.now()) {
        res.status(403).json({ error: { code: 'Forbidden', title: 'Token is invalid or expired' } });
        return;
      }
      res.status(200).type(file.mediaType).setHeader('Content-Length', String(file.data.length));
      res.end(file.data);
    });
    return router;
  }
}
