// How the extension host reaches Atlassian. By default that is VS Code's own fetch, which already
// honours the editor's proxy settings and the system's certificates. A custom CA file, an explicit
// proxy or a relaxed TLS check need a dispatcher of our own, so those requests use undici directly.
import { rootCertificates } from 'node:tls';
import type * as Undici from 'undici';

export interface TransportSettings {
  /** Extra trusted certificate authorities (PEM), added to Node's own roots. */
  readonly caPem?: string;
  /** http(s)://host:port of a proxy; requests to loopback never use it. */
  readonly proxyUrl?: string;
  /** false: accept any certificate (VS Code's http.proxyStrictSSL). */
  readonly strictSSL?: boolean;
}

export function createFetch(settings: TransportSettings, base: typeof fetch = globalThis.fetch): typeof fetch {
  const strict = settings.strictSSL ?? true;
  if (!settings.caPem && !settings.proxyUrl && strict) return base;
  // Loaded only here: undici is half the extension's code, and most people never need it
  // (esbuild.js ships it as a separate file, so activation does not pay for it).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Agent, fetch: undiciFetch, ProxyAgent } = require('undici') as typeof Undici;
  const tls = { ...(settings.caPem ? { ca: [...rootCertificates, settings.caPem] } : {}), rejectUnauthorized: strict };
  const direct = new Agent({ connect: tls });
  const proxied: Undici.Dispatcher | undefined = settings.proxyUrl
    ? new ProxyAgent({ uri: settings.proxyUrl, requestTls: tls, proxyTls: tls })
    : undefined;
  return (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const dispatcher = proxied && !isLoopback(url.hostname) ? proxied : direct;
    return undiciFetch(input as Parameters<typeof undiciFetch>[0], {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher,
    });
  };
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname.startsWith('127.');
}
