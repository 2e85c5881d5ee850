// The OAuth redirect target: a one-shot HTTP listener on loopback that accepts exactly one
// genuine callback (right method, host, path and state) and ignores everything else, so a forged
// or malformed request can neither end the sign-in nor inject a code. For `localhost` it listens on
// every address the name can mean (127.0.0.1 and ::1), or not at all: a browser that picks ::1
// must not hand the code to another process holding [::1]:PORT.
import { timingSafeEqual } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import * as l10n from '@vscode/l10n';

/**
 * The callback port unless the user sets another. Not 33418: VS Code's own MCP sign-in listens
 * there, in the same extension host. Below every OS's ephemeral range (Linux 32768–60999, Windows
 * and macOS 49152–65535), which the OS hands to outgoing connections and Windows reserves blocks of.
 */
export const DEFAULT_CALLBACK_PORT = 27418;

export type CallbackFailureReason = 'denied' | 'error' | 'timeout' | 'cancelled' | 'portInUse';

export class CallbackError extends Error {
  constructor(
    readonly reason: CallbackFailureReason,
    message: string,
  ) {
    super(message);
    this.name = 'CallbackError';
  }
}

export interface CallbackPages {
  success(): string;
  failure(message: string): string;
}

export interface LoopbackOptions {
  /** Registered redirect URI, e.g. http://127.0.0.1:27418/callback. */
  readonly redirectUri: string;
  readonly expectedState: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly pages: CallbackPages;
  /** Named in the "port in use" message so the user knows what to change. */
  readonly portSettingName: string;
  /** The authorization server's origin: the only foreign origin a callback may name in `Origin`. */
  readonly authorizationOrigin?: string;
}

export interface PendingCallback {
  /** Resolves with the callback's query parameters (code and state) once the genuine callback arrives. */
  readonly result: Promise<URLSearchParams>;
  close(): void;
}

/** Starts listening; rejects at once with reason `portInUse` when the port is taken. */
export async function listenForCallback(options: LoopbackOptions): Promise<PendingCallback> {
  const redirect = new URL(options.redirectUri);
  if (redirect.protocol !== 'http:' || !['127.0.0.1', 'localhost'].includes(redirect.hostname)) {
    throw new CallbackError(
      'error',
      l10n.t('The redirect URI must be http://127.0.0.1:PORT/PATH (got {0}).', options.redirectUri),
    );
  }
  const port = Number(redirect.port || 80);
  const addresses = await listenAddresses(redirect.hostname, port);
  const allowedHosts = new Set([
    `127.0.0.1:${port}`,
    `localhost:${port}`,
    ...addresses.filter((a) => isIP(a) === 6).map((a) => `[${a}]:${port}`),
  ]);
  const allowedOrigins = new Set([...allowedHosts].map((host) => `http://${host}`));
  if (options.authorizationOrigin) allowedOrigins.add(new URL(options.authorizationOrigin).origin);
  const expectedState = Buffer.from(options.expectedState);

  let settle!: { resolve: (p: URLSearchParams) => void; reject: (e: CallbackError) => void };
  const result = new Promise<URLSearchParams>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // Rejections may arrive before the caller awaits (e.g. a deny while the browser opens).
  result.catch(() => undefined);
  let done = false;

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const verdict = judge(req);
    if (verdict.kind === 'ignore') return respond(res, verdict.status, options.pages.failure(verdict.message));
    finish();
    if (verdict.kind === 'success') {
      respond(res, 200, options.pages.success());
      settle.resolve(verdict.params);
    } else {
      respond(res, 200, options.pages.failure(verdict.error.message));
      settle.reject(verdict.error);
    }
  };
  const servers: Server[] = [];

  type Verdict =
    | { kind: 'ignore'; status: number; message: string }
    | { kind: 'success'; params: URLSearchParams }
    | { kind: 'failure'; error: CallbackError };

  const judge = (req: IncomingMessage): Verdict => {
    if (done) return { kind: 'ignore', status: 410, message: l10n.t('This sign-in has already finished.') };
    if (req.method !== 'GET') return { kind: 'ignore', status: 405, message: l10n.t('Method not allowed.') };
    if (!allowedHosts.has((req.headers.host ?? '').toLowerCase()))
      return { kind: 'ignore', status: 421, message: l10n.t('Unexpected host.') };
    // The genuine callback is a top-level GET navigation, which carries no Origin (or a trusted
    // one); a script on another site can only send fetches, which name their origin.
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins.has(origin.toLowerCase()))
      return { kind: 'ignore', status: 403, message: l10n.t('Unexpected origin.') };
    if (req.headers['sec-fetch-site'] === 'cross-site' && req.headers['sec-fetch-mode'] !== 'navigate')
      return { kind: 'ignore', status: 403, message: l10n.t('Only a browser navigation can complete sign-in.') };
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://${redirect.host}`);
    } catch {
      return { kind: 'ignore', status: 400, message: l10n.t('Malformed request.') };
    }
    if (url.pathname !== redirect.pathname) return { kind: 'ignore', status: 404, message: l10n.t('Not found.') };
    const params = url.searchParams;
    const keys = [...params.keys()];
    if (new Set(keys).size !== keys.length)
      return { kind: 'ignore', status: 400, message: l10n.t('Repeated parameters.') };
    const state = params.get('state');
    if (!state || !sameState(state))
      return { kind: 'ignore', status: 400, message: l10n.t('This sign-in link is not the one VS Code started.') };
    const error = params.get('error');
    if (error) {
      const description = params.get('error_description') ?? error;
      return error === 'access_denied'
        ? {
            kind: 'failure',
            error: new CallbackError('denied', l10n.t('Sign-in was declined in the browser (access denied).')),
          }
        : {
            kind: 'failure',
            error: new CallbackError('error', l10n.t('Atlassian reported an error: {0}', description.slice(0, 300))),
          };
    }
    if (!params.get('code'))
      return { kind: 'ignore', status: 400, message: l10n.t('The callback has no authorization code.') };
    return { kind: 'success', params };
  };

  const sameState = (state: string): boolean => {
    const given = Buffer.from(state);
    return given.length === expectedState.length && timingSafeEqual(given, expectedState);
  };

  const timer = setTimeout(() => {
    finish();
    settle.reject(
      new CallbackError(
        'timeout',
        l10n.t('No answer from the browser within {0} minutes.', Math.round(options.timeoutMs / 60_000)),
      ),
    );
  }, options.timeoutMs);
  const onAbort = () => {
    finish();
    settle.reject(new CallbackError('cancelled', l10n.t('Sign-in was cancelled.')));
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });

  function finish(): void {
    if (done) return;
    done = true;
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    // Stop accepting; let the answer in flight complete.
    for (const server of servers) {
      server.close();
      server.closeIdleConnections();
    }
  }

  for (const address of addresses) {
    const server = createServer({ maxHeaderSize: 16 * 1024 }, handler);
    servers.push(server);
    server.listen(port, address);
    try {
      await Promise.race([once(server, 'listening'), once(server, 'error').then(([err]) => Promise.reject(err))]);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // No IPv6 on this machine: nobody else can hold [::1]:PORT either.
      if (address === '::1' && (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT')) {
        servers.pop();
        continue;
      }
      finish();
      if (code === 'EADDRINUSE' || code === 'EACCES') {
        const shown = isIP(address) === 6 ? `[${address}]` : address;
        throw new CallbackError(
          'portInUse',
          l10n.t(
            'Port {0} on {1} is in use, so the sign-in callback cannot be received safely. Close what uses it, or change the port in the setting "{2}" (and in your OAuth app\'s callback URL).',
            port,
            shown,
            options.portSettingName,
          ),
        );
      }
      throw err;
    }
  }
  if (options.signal?.aborted) onAbort();
  return {
    result,
    close: () => {
      if (!done) onAbort();
    },
  };
}

const LOOPBACK_ADDRESS = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1)$/;

/**
 * Where to listen for `hostname`: 127.0.0.1 as given; for `localhost` both loopback addresses
 * (browsers may pick either) and every other address the system resolves it to, each of which must
 * be loopback: a name that can lead the browser elsewhere is refused before anything starts.
 */
async function listenAddresses(hostname: string, port: number): Promise<string[]> {
  if (hostname !== 'localhost') return [hostname];
  const resolved = await lookup(hostname, { all: true }).catch(() => []);
  const foreign = resolved.map((r) => r.address).filter((a) => !LOOPBACK_ADDRESS.test(a));
  if (foreign.length > 0)
    throw new CallbackError(
      'error',
      l10n.t(
        'On this machine "localhost" resolves to {0}, which is not this computer\'s loopback, so the browser could hand the sign-in to another machine. Use http://127.0.0.1:{1}/ as the callback (setting and OAuth app), or fix the hosts file.',
        foreign.join(', '),
        port,
      ),
    );
  return [...new Set(['127.0.0.1', '::1', ...resolved.map((r) => r.address)])];
}

function respond(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
    'Referrer-Policy': 'no-referrer',
    Connection: 'close',
  });
  res.end(html);
}
