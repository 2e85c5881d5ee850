// Who may ask the team server for tokens: clients registered dynamically (RFC 7591, still used by
// 2025-era MCP clients) and clients identified by a client ID metadata document (an https URL whose
// JSON names the client and its redirect URIs, the 2026-07-28 preference). Public clients only:
// PKCE instead of a secret.
import { randomUUID } from 'node:crypto';
import { HttpError } from './httpUtil';
import type { VaultStore } from '../vault/store';

export interface RegisteredClient {
  readonly clientId: string;
  readonly clientName?: string;
  readonly redirectUris: readonly string[];
}

const CLIENT_KIND = 'client';
/** Registrations unused this long lapse (a client re-registers when told its id is unknown). */
const REGISTRATION_TTL_MS = 180 * 24 * 3600 * 1000;
const METADATA_TIMEOUT_MS = 5000;
const METADATA_MAX_BYTES = 16 * 1024;
const METADATA_CACHE_MS = 5 * 60 * 1000;
const MAX_REDIRECT_URIS = 10;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

export interface ClientDirectoryOptions {
  readonly store: VaultStore;
  readonly now: () => number;
  readonly fetch?: typeof fetch;
  /** Accept http://127.0.0.1 metadata document URLs (tests; never in production). */
  readonly allowLoopbackMetadata?: boolean;
}

export class ClientDirectory {
  private readonly documents = new Map<string, { client: RegisteredClient; until: number }>();

  constructor(private readonly options: ClientDirectoryOptions) {}

  /** Dynamic Client Registration: validates the metadata, stores it, returns the registration response. */
  async register(metadata: unknown): Promise<Record<string, unknown>> {
    const body = (typeof metadata === 'object' && metadata !== null ? metadata : {}) as Record<string, unknown>;
    const redirectUris = validRedirectUris(body.redirect_uris, 'invalid_redirect_uri');
    const method = body.token_endpoint_auth_method ?? 'none';
    if (method !== 'none')
      throw new HttpError(400, 'invalid_client_metadata', 'Only public clients (token_endpoint_auth_method "none").');
    const client: RegisteredClient = {
      clientId: randomUUID(),
      clientName: typeof body.client_name === 'string' ? body.client_name.slice(0, 200) : undefined,
      redirectUris,
    };
    const now = this.options.now();
    await this.options.store.putState(
      CLIENT_KIND,
      client.clientId,
      undefined,
      JSON.stringify(client),
      now + REGISTRATION_TTL_MS,
    );
    return {
      client_id: client.clientId,
      client_id_issued_at: Math.floor(now / 1000),
      client_name: client.clientName,
      redirect_uris: client.redirectUris,
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    };
  }

  /** The client behind a client_id (registered id or metadata document URL); undefined when unknown. */
  async find(clientId: string): Promise<RegisteredClient | undefined> {
    if (/^https?:\/\//i.test(clientId)) return this.fromDocument(clientId);
    const stored = await this.options.store.getState(CLIENT_KIND, clientId, this.options.now());
    return stored ? (JSON.parse(stored) as RegisteredClient) : undefined;
  }

  private async fromDocument(url: string): Promise<RegisteredClient | undefined> {
    const cached = this.documents.get(url);
    if (cached && cached.until > this.options.now()) return cached.client;
    if (!this.acceptableDocumentUrl(url)) return undefined;
    const response = await (this.options.fetch ?? fetch)(url, {
      headers: { Accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(METADATA_TIMEOUT_MS),
    }).catch(() => undefined);
    if (!response?.ok) return undefined;
    const text = await response.text();
    if (text.length > METADATA_MAX_BYTES) return undefined;
    let doc: Record<string, unknown>;
    try {
      doc = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return undefined;
    }
    // The document must name itself, or anyone could point at someone else's redirect URIs.
    if (doc.client_id !== url) return undefined;
    const client: RegisteredClient = {
      clientId: url,
      clientName: typeof doc.client_name === 'string' ? doc.client_name.slice(0, 200) : undefined,
      redirectUris: validRedirectUris(doc.redirect_uris, 'invalid_client'),
    };
    this.documents.set(url, { client, until: this.options.now() + METADATA_CACHE_MS });
    return client;
  }

  private acceptableDocumentUrl(url: string): boolean {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    if (parsed.hash || parsed.username || parsed.password || parsed.pathname === '/') return false;
    if (parsed.protocol === 'https:') return true;
    return !!this.options.allowLoopbackMetadata && parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname);
  }
}

/**
 * Exact match, except that a loopback http redirect may use any port (RFC 8252 §7.3: native apps
 * listen on an ephemeral port).
 */
export function redirectUriAllowed(client: RegisteredClient, requested: string): boolean {
  if (client.redirectUris.includes(requested)) return true;
  const asked = parseUrl(requested);
  if (!asked || asked.protocol !== 'http:' || !LOOPBACK_HOSTS.has(asked.hostname)) return false;
  return client.redirectUris.some((registered) => {
    const known = parseUrl(registered);
    return (
      !!known &&
      known.protocol === 'http:' &&
      known.hostname === asked.hostname &&
      known.pathname === asked.pathname &&
      known.search === asked.search
    );
  });
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function validRedirectUris(value: unknown, error: string): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_REDIRECT_URIS)
    throw new HttpError(400, error, `redirect_uris must list 1-${MAX_REDIRECT_URIS} URIs.`);
  return value.map((uri) => {
    const parsed = typeof uri === 'string' ? parseUrl(uri) : undefined;
    const loopbackHttp = parsed?.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname);
    // https, loopback http, or a private-use scheme of a native app (RFC 8252 §7.1); never a fragment.
    const allowed =
      parsed &&
      !parsed.hash &&
      (parsed.protocol === 'https:' || loopbackHttp || /^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+:$/.test(parsed.protocol));
    if (!allowed) throw new HttpError(400, error, `Redirect URI not allowed: ${String(uri).slice(0, 200)}`);
    return uri as string;
  });
}
