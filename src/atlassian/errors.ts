// What can go wrong talking to Atlassian, in words a person (or a model) can act on. Every HTTP
// failure becomes one of these; none is ever turned into an empty result.

export type AtlassianErrorKind =
  | 'unauthorized' // 401 that a token refresh did not fix
  | 'scope' // OAuth token lacks a scope (gateway 401 "scope does not match", or 403 naming a scope)
  | 'forbidden' // 403: the account lacks a permission
  | 'notFound'
  | 'gone' // 410: the API was retired
  | 'badRequest' // 400/422: the request itself is wrong (JQL error, missing field…)
  | 'conflict' // 409: e.g. a stale Confluence page version
  | 'rateLimited'
  | 'server' // 5xx
  | 'network' // the host could not be reached
  | 'tooLarge' // the answer passed the response size limit
  | 'redirected' // the host answered with a redirect, which is never followed with credentials
  | 'timeout'
  | 'needsReconnect' // the stored sign-in cannot be used any more
  | 'cancelled';

export interface AtlassianErrorDetails {
  readonly kind: AtlassianErrorKind;
  readonly host: string;
  readonly status?: number;
  /** Messages Atlassian returned (errorMessages, field errors, errors[].title/detail, error_description). */
  readonly messages?: readonly string[];
  readonly retryAfterSeconds?: number;
  readonly rateLimitReason?: string;
  /** How many times the request was repeated (after backoff) before this answer. */
  readonly retries?: number;
  /** Where a refused redirect pointed (kind `redirected`). */
  readonly location?: string;
  readonly cause?: unknown;
}

export class AtlassianError extends Error {
  readonly kind: AtlassianErrorKind;
  readonly host: string;
  readonly status: number | undefined;
  readonly messages: readonly string[];
  readonly retryAfterSeconds: number | undefined;
  readonly rateLimitReason: string | undefined;
  readonly retries: number;
  readonly location: string | undefined;

  constructor(message: string, details: AtlassianErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'AtlassianError';
    this.kind = details.kind;
    this.host = details.host;
    this.status = details.status;
    this.messages = details.messages ?? [];
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.rateLimitReason = details.rateLimitReason;
    this.retries = details.retries ?? 0;
    this.location = details.location;
  }
}

/**
 * Pulls the human-readable messages out of any of Atlassian's error shapes: Jira's
 * `{errorMessages, errors}`, Confluence v2's `{errors:[{title, detail}]}`, Confluence v1's
 * `{message}`, the gateway's `{code, message}` and OAuth's `{error, error_description}`.
 */
export function errorMessagesFrom(body: unknown): string[] {
  if (typeof body === 'string') return body.trim() ? [body.trim().slice(0, 500)] : [];
  if (!body || typeof body !== 'object') return [];
  const b = body as Record<string, unknown>;
  const out: string[] = [];
  if (Array.isArray(b.errorMessages)) out.push(...b.errorMessages.filter((m): m is string => typeof m === 'string'));
  if (b.errors && typeof b.errors === 'object' && !Array.isArray(b.errors)) {
    for (const [field, message] of Object.entries(b.errors as Record<string, unknown>)) {
      if (typeof message === 'string') out.push(`${field}: ${message}`);
    }
  }
  if (Array.isArray(b.errors)) {
    for (const e of b.errors as Record<string, unknown>[]) {
      // Jira's bulk create: one entry per refused issue, numbered from 0 in the request.
      if (typeof e.failedElementNumber === 'number') {
        for (const message of errorMessagesFrom(e.elementErrors))
          out.push(`issue ${e.failedElementNumber}: ${message}`);
        continue;
      }
      const text = [e.title, e.detail].filter((x): x is string => typeof x === 'string' && x.length > 0).join(': ');
      if (text) out.push(text);
      // Confluence v1: {message, validationErrors: [{field, message}]}, the reason in the nested entries.
      else if (typeof e.message === 'string' && !Array.isArray(e.validationErrors)) out.push(e.message);
      if (Array.isArray(e.validationErrors)) {
        for (const v of e.validationErrors as Record<string, unknown>[]) {
          const message =
            typeof v.message === 'string' ? v.message : (v.message as { translation?: unknown })?.translation;
          if (typeof message === 'string') out.push(typeof v.field === 'string' ? `${v.field}: ${message}` : message);
        }
      }
    }
  }
  // Confluence wraps its reasons in `data` ({statusCode, data: {errors: […]}}).
  if (b.data && typeof b.data === 'object' && !Array.isArray(b.data)) out.push(...errorMessagesFrom(b.data));
  // Jira Service Management: {errorMessage, i18nErrorMessage}.
  if (typeof b.errorMessage === 'string') out.push(b.errorMessage);
  if (typeof b.error_description === 'string') out.push(b.error_description);
  else if (typeof b.error === 'string') out.push(b.error);
  if (typeof b.message === 'string' && out.length === 0) out.push(b.message);
  return out;
}
