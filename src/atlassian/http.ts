// The one HTTP path to Atlassian: credentials on every request, one refresh-and-retry on 401,
// bounded jittered retries that honour Retry-After, a timeout on every request, and errors that
// say what happened and what to do. Used by the extension, the bridge and the views alike.
import * as l10n from '@vscode/l10n';
import { AtlassianError, errorMessagesFrom, type AtlassianErrorKind } from './errors';
import { FollowFailure, followWithoutCredentials } from './mediaRedirect';
import { readBody, readCapped, ResponseTooLarge } from './responseBody';

/** Supplies the Authorization header; OAuth credentials can also renew after a 401. */
export interface Credentials {
  authorization(signal?: AbortSignal): Promise<string>;
  /**
   * The header value when it is already at hand (an API token or PAT once read), so the request
   * leaves in the same turn: a panel that starts its read and then builds its webview has the
   * request on the wire while it builds, not after.
   */
  known?(): string | undefined;
  /**
   * Called once after a 401 with the header value that was rejected. Resolves true when a retry
   * may succeed (a fresh token is now available), false when it cannot help (API token, PAT).
   */
  renew?(rejected: string, signal?: AbortSignal): Promise<boolean>;
}

export interface RetryPolicy {
  /** Retries after the first attempt (Atlassian's published backoff uses 4). */
  readonly maxRetries: number;
  /** First backoff when the server gives no Retry-After; doubles each time. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A Retry-After longer than this (an hourly quota) fails at once with a clear message instead of hanging. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxRetries: 4,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
};

export interface HttpClientOptions {
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly userAgent?: string;
  /** Largest response body read, counted after decompression; default DEFAULT_MAX_RESPONSE_BYTES. */
  readonly maxResponseBytes?: number;
  /** The setting that raises `maxResponseBytes`, named when a response exceeds it. */
  readonly maxResponseSetting?: string;
  /** Injectable for tests: waiting and randomness. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random?: () => number;
}

export type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

export interface RequestOptions {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path below the client's base URL (`/rest/api/3/myself`), or an absolute URL on the same origin. */
  readonly path: string;
  readonly query?: Query;
  /** Sent as JSON. */
  readonly body?: unknown;
  /** Sent as is instead of `body` (a multipart upload, say), with its own Content-Type. */
  readonly rawBody?: { readonly data: Uint8Array; readonly contentType: string };
  /** `bytes`: a successful response's body comes back as a Uint8Array, whatever its type. Default: JSON or text. */
  readonly responseType?: 'json' | 'bytes';
  /** Whether a failed attempt may be repeated. Default: every method but POST (creates must never run twice). */
  readonly retryable?: boolean;
  /** Scopes this call needs, named in the error when the token lacks them. */
  readonly scopes?: readonly string[];
  readonly signal?: AbortSignal;
  readonly headers?: Record<string, string>;
  /** This request's response limit instead of the client's (an attachment with its own bound). */
  readonly maxResponseBytes?: number;
  /** A download whose redirect to a media host is followed without credentials (mediaRedirect.ts). */
  readonly followRedirectWithoutCredentials?: boolean;
}

export interface HttpResponse<T> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/** Tens of MiB: far above any JSON answer a tool asks for, far below what hurts the process. */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);

export class AtlassianHttpClient {
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  readonly host: string;

  constructor(
    readonly baseUrl: string,
    private readonly credentials: Credentials,
    private readonly options: HttpClientOptions = {},
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.host = new URL(this.baseUrl).host;
    this.fetchImpl = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.sleep = options.sleep ?? abortableSleep;
    this.random = options.random ?? Math.random;
  }

  async request<T>(options: RequestOptions): Promise<T> {
    return (await this.send<T>(options)).body;
  }

  async send<T>(options: RequestOptions): Promise<HttpResponse<T>> {
    const method = options.method ?? 'GET';
    const url = this.url(options.path, options.query);
    const retryable = options.retryable ?? method !== 'POST';
    let renewed = false;
    for (let attempt = 0; ; attempt++) {
      throwIfCancelled(options.signal, this.host);
      const authorization = this.credentials.known?.() ?? (await this.credentials.authorization(options.signal));
      // One deadline for the whole attempt: connecting, the headers and the body.
      const timeout = AbortSignal.timeout(this.timeoutMs);
      let response: Response;
      try {
        response = await this.fetchOnce(url, method, authorization, options, timeout);
      } catch (err) {
        const failure = this.transportError(err, options.signal, timeout, retryable);
        if (failure.kind === 'cancelled' || !retryable || attempt >= this.retry.maxRetries) throw failure;
        await this.wait(this.backoff(attempt), options.signal);
        continue;
      }

      let followedTo: string | undefined;
      if (REDIRECT_STATUS.has(response.status)) {
        if (!options.followRedirectWithoutCredentials) {
          await response.body?.cancel();
          throw this.redirectError(url, response);
        }
        try {
          const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
          const userAgent = this.options.userAgent;
          ({ response, host: followedTo } = await followWithoutCredentials(url, response, {
            fetch: this.fetchImpl,
            signal,
            userAgent,
          }));
        } catch (err) {
          if (!(err instanceof FollowFailure)) throw err;
          const failure = this.transportError(err.cause, options.signal, timeout, retryable, err.host);
          if (failure.kind === 'cancelled' || !retryable || attempt >= this.retry.maxRetries) throw failure;
          await this.wait(this.backoff(attempt), options.signal);
          continue;
        }
        if (!response.ok) throw this.followedError(response, followedTo);
      }

      const limit = options.maxResponseBytes ?? this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
      const read = () => readCapped(response, limit);
      if (response.status === 401 && !renewed && this.credentials.renew) {
        const body = await readBody(response, read).catch(() => undefined);
        // A refresh cannot add a scope the sign-in lacks: that 401 is answered at once.
        if (!errorMessagesFrom(body).some((m) => SCOPE_MISMATCH.test(m))) {
          renewed = true;
          if (await this.credentials.renew(authorization, options.signal)) {
            attempt--; // the retry after a refresh is not a backoff retry
            continue;
          }
        }
        throw this.httpError(response, body, options, attempt);
      }

      if (RETRYABLE_STATUS.has(response.status) && retryable && attempt < this.retry.maxRetries) {
        const wait = this.retryDelay(response, attempt);
        if (wait !== undefined) {
          await response.body?.cancel();
          await this.wait(wait, options.signal);
          continue;
        }
      }

      if (!response.ok)
        throw this.httpError(response, await readBody(response, read).catch(() => undefined), options, attempt);
      let body: unknown;
      try {
        body = options.responseType === 'bytes' ? await read() : await readBody(response, read);
      } catch (err) {
        if (err instanceof ResponseTooLarge) throw this.tooLargeError(err.limit);
        // The connection dropped or stalled mid-body: the same failure as before the headers.
        const failure = this.transportError(err, options.signal, timeout, retryable);
        if (failure.kind === 'cancelled' || !retryable || attempt >= this.retry.maxRetries) throw failure;
        await this.wait(this.backoff(attempt), options.signal);
        continue;
      }
      return { status: response.status, headers: response.headers, body: body as T };
    }
  }

  private url(path: string, query?: Query): URL {
    const url = /^https?:\/\//.test(path)
      ? new URL(path)
      : new URL(this.baseUrl + (path.startsWith('/') ? path : `/${path}`));
    if (url.origin !== new URL(this.baseUrl).origin) {
      // Never send credentials to a host the connection was not made for.
      throw new AtlassianError(
        l10n.t('Refusing to send credentials to {0}: not the connected site {1}.', url.host, this.host),
        { kind: 'badRequest', host: url.host },
      );
    }
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      if (Array.isArray(value)) url.searchParams.set(key, value.join(','));
      else url.searchParams.set(key, String(value));
    }
    return url;
  }

  private fetchOnce(
    url: URL,
    method: string,
    authorization: string,
    options: RequestOptions,
    timeout: AbortSignal,
  ): Promise<Response> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      Authorization: authorization,
      ...(this.options.userAgent ? { 'User-Agent': this.options.userAgent } : {}),
      ...options.headers,
    };
    let body: string | Uint8Array<ArrayBuffer> | undefined;
    if (options.rawBody) {
      headers['Content-Type'] = options.rawBody.contentType;
      body = new Uint8Array(options.rawBody.data);
    } else if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    // Redirects come back as answers, so a refused one is reported as what it is (redirectError).
    return this.fetchImpl(url, { method, headers, body, signal, redirect: 'manual' });
  }

  private async wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
    try {
      await this.sleep(ms, signal);
    } catch (err) {
      throw new AtlassianError(l10n.t('Cancelled.'), { kind: 'cancelled', host: this.host, cause: err });
    }
  }

  /** Milliseconds to wait before the next attempt, or undefined when waiting is pointless. */
  private retryDelay(response: Response, attempt: number): number | undefined {
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
    if (retryAfter === undefined) return this.backoff(attempt);
    if (retryAfter > this.retry.maxRetryAfterMs) return undefined;
    // Never earlier than the server asked; spread callers out a little beyond it.
    return retryAfter * (1 + 0.3 * this.random());
  }

  private backoff(attempt: number): number {
    const exponential = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** attempt);
    return exponential * (0.7 + 0.6 * this.random());
  }

  private transportError(
    err: unknown,
    signal: AbortSignal | undefined,
    timeout: AbortSignal,
    retryable: boolean,
    host = this.host,
  ): AtlassianError {
    if (signal?.aborted) return new AtlassianError(l10n.t('Cancelled.'), { kind: 'cancelled', host: host, cause: err });
    // A write that got no answer may still have been carried out; whoever retries it must know.
    const unsure = retryable
      ? ''
      : ` ${l10n.t('The request was not repeated because it changes data, and it may have been carried out: check before trying again.')}`;
    const name = err instanceof Error ? err.name : '';
    // Node's http reports a timed-out body as a plain "aborted"; the deadline says what happened.
    if (name === 'TimeoutError' || timeout.aborted) {
      const text =
        this.timeoutMs >= 1000
          ? l10n.t('{0} did not answer within {1} s.', host, Math.round(this.timeoutMs / 1000))
          : l10n.t('{0} did not answer within {1} ms.', host, this.timeoutMs);
      return new AtlassianError(`${text}${unsure}`, { kind: 'timeout', host: host, cause: err });
    }
    const code = networkCode(err);
    const text = code
      ? l10n.t('Could not reach {0} ({1}). Check the network, proxy and the site URL.', host, code)
      : l10n.t('Could not reach {0}. Check the network, proxy and the site URL.', host);
    return new AtlassianError(`${text}${unsure}`, {
      kind: 'network',
      host: host,
      cause: err,
    });
  }

  private tooLargeError(limit: number): AtlassianError {
    const mib = Math.round((limit / 1048576) * 10) / 10;
    const setting = this.options.maxResponseSetting;
    const text = setting
      ? l10n.t(
          '{0} sent more than {1} MiB (after decompression), the limit for one answer; reading stopped there. Ask for less (fewer results or fields), or raise {2}.',
          this.host,
          mib,
          setting,
        )
      : l10n.t(
          '{0} sent more than {1} MiB (after decompression), the limit for one answer; reading stopped there. Ask for less.',
          this.host,
          mib,
        );
    return new AtlassianError(text, { kind: 'tooLarge', host: this.host });
  }

  /** The media host's refusal of a followed download link, named as such (not as the site's). */
  private followedError(response: Response, host: string): AtlassianError {
    void response.body?.cancel();
    const status = response.status;
    const text =
      status === 401 || status === 403 || status === 404 || status === 410
        ? l10n.t(
            '{0} refused the download link from {1} ({2}); it may have expired. Try again.',
            host,
            this.host,
            status,
          )
        : l10n.t('{0} answered {1} for a download from {2}. Try again later.', host, status, this.host);
    const kind = status === 404 || status === 410 ? 'notFound' : status >= 500 ? 'server' : 'forbidden';
    return new AtlassianError(text, { kind, host, status });
  }

  /**
   * A redirect is never followed: the credentials would go wherever it points. Saying "could not
   * reach" would send people to check a network that works; the address is what needs changing.
   */
  private redirectError(url: URL, response: Response): AtlassianError {
    const raw = response.headers.get('location') ?? '';
    let location: string | undefined;
    try {
      // Only scheme, host and path: a query string may carry anything.
      const to = new URL(raw, url);
      location = `${to.origin}${to.pathname}`;
    } catch {
      location = undefined;
    }
    const status = response.status;
    const text =
      location !== undefined
        ? l10n.t(
            '{0} answered {1} with a redirect to {2}, which was not followed: credentials are only sent to the configured site. If the site has moved, change its URL to the new address.',
            this.host,
            status,
            location,
          )
        : l10n.t(
            '{0} answered {1} with a redirect without a usable address, which was not followed. Check the site URL.',
            this.host,
            status,
          );
    return new AtlassianError(text, { kind: 'redirected', host: this.host, status, location });
  }

  private httpError(response: Response, body: unknown, options: RequestOptions, retries: number): AtlassianError {
    const messages = errorMessagesFrom(body);
    const status = response.status;
    // What Atlassian said, in its own words (not translated); each message has a variant without it.
    const detail = messages.length > 0 ? messages.join('; ') : undefined;
    const host = this.host;
    const base = { host, status, messages, retries };
    const needs =
      options.scopes && options.scopes.length > 0
        ? ` ${l10n.t('This call needs the OAuth scope {0}.', anyOf(options.scopes))}`
        : '';
    const scopeMismatch = messages.some((m) => SCOPE_MISMATCH.test(m));

    const make = (
      kind: AtlassianErrorKind,
      text: string,
      extra: Partial<ConstructorParameters<typeof AtlassianError>[1]> = {},
    ) => new AtlassianError(text, { ...base, kind, ...extra });

    switch (true) {
      case status === 401 && scopeMismatch:
        return make(
          'scope',
          `${l10n.t('The sign-in for {0} lacks a permission (OAuth scope) this call needs.', host)}${needs} ${l10n.t('Add the scope to your OAuth app and reconnect.')}`,
        );
      case status === 401:
        return make(
          'unauthorized',
          detail !== undefined
            ? l10n.t('{0} rejected the credentials (401): {1}. Reconnect with "Connect Atlassian".', host, detail)
            : l10n.t('{0} rejected the credentials (401). Reconnect with "Connect Atlassian".', host),
        );
      case status === 403: {
        const text =
          detail !== undefined
            ? l10n.t(
                'Forbidden (403) at {0}: {1}. Your account lacks a permission for this, or the OAuth token lacks a scope.',
                host,
                detail,
              )
            : l10n.t(
                'Forbidden (403) at {0}. Your account lacks a permission for this, or the OAuth token lacks a scope.',
                host,
              );
        return make('forbidden', `${text}${needs}`);
      }
      case status === 404:
        return make(
          'notFound',
          detail !== undefined
            ? l10n.t('Not found (404) at {0}: {1}.', host, detail)
            : l10n.t('Not found (404) at {0}.', host),
        );
      case status === 410:
        return make(
          'gone',
          detail !== undefined
            ? l10n.t('This Atlassian API has been retired (410): {0}.', detail)
            : l10n.t('This Atlassian API has been retired (410).'),
        );
      case status === 409:
        return make(
          'conflict',
          detail !== undefined
            ? l10n.t('Conflict (409) at {0}: {1}.', host, detail)
            : l10n.t('Conflict (409) at {0}.', host),
        );
      case status === 429: {
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
        const reason = response.headers.get('ratelimit-reason') ?? undefined;
        const text = reason
          ? l10n.t('{0} is rate limiting requests ({1}).', host, reason)
          : l10n.t('{0} is rate limiting requests.', host);
        const when =
          retryAfterMs !== undefined ? ` ${l10n.t('Try again in {0} s.', Math.ceil(retryAfterMs / 1000))}` : '';
        return make('rateLimited', `${text}${when}`, {
          retryAfterSeconds: retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000),
          rateLimitReason: reason,
        });
      }
      case status >= 500:
        return make(
          'server',
          detail !== undefined
            ? l10n.t('{0} had a server error ({1}): {2}. Try again later.', host, status, detail)
            : l10n.t('{0} had a server error ({1}). Try again later.', host, status),
        );
      default:
        return make(
          'badRequest',
          detail !== undefined
            ? l10n.t('{0} refused the request ({1}): {2}.', host, status, detail)
            : l10n.t('{0} refused the request ({1}).', host, status),
        );
    }
  }
}

/** `a or b or c`: OAuth scopes of which any one will do. */
function anyOf(scopes: readonly string[]): string {
  return scopes.reduce((list, scope) =>
    l10n.t({
      message: '{0} or {1}',
      args: [list, scope],
      comment: [
        'Alternatives, any one of which is enough: {0} is one or more OAuth scope names, {1} one more scope name',
      ],
    }),
  );
}

/** The API gateway's 401 for a token without the scope a call needs. */
const SCOPE_MISMATCH = /scope does not match/i;

/** Retry-After is seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function networkCode(err: unknown): string | undefined {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function throwIfCancelled(signal: AbortSignal | undefined, host: string): void {
  if (signal?.aborted) throw new AtlassianError(l10n.t('Cancelled.'), { kind: 'cancelled', host });
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
