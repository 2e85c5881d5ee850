// Removes secrets from anything headed for a log line, an error message or a report.
// Two layers: exact values we know are secret (tokens we hold), and patterns that look like
// credentials even when we never saw the value (a header echoed in an error, a URL with ?code=).

const MIN_SECRET_LENGTH = 6;
export const REDACTED = '[redacted]';

const PATTERNS: readonly [RegExp, string][] = [
  // Authorization header values: Bearer/Basic/Token schemes.
  [/\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{6,}/gi, `$1 ${REDACTED}`],
  // OAuth parameters in URLs, form bodies and JSON.
  [
    /\b(code|state|access_token|refresh_token|client_secret|code_verifier|id_token|api_token|token|password)(["']?\s*[=:]\s*["']?)[^&\s"',}]+/gi,
    `$1$2${REDACTED}`,
  ],
  // Atlassian API tokens have a recognisable prefix.
  [/\bATATT[0-9A-Za-z_=-]{10,}/g, REDACTED],
];

export class SecretRedactor {
  private readonly secrets = new Set<string>();

  /** A child also removes every secret its parent knows (one request's credentials on top of the process's). */
  constructor(private readonly parent?: SecretRedactor) {}

  /** Remember a value that must never appear in output. Short values are ignored (they would shred text). */
  add(secret: string | undefined): void {
    if (secret && secret.length >= MIN_SECRET_LENGTH) this.secrets.add(secret);
  }

  forget(secret: string | undefined): void {
    if (secret) this.secrets.delete(secret);
  }

  /** Removes secrets and anything shaped like a credential: for logs, errors and reports. */
  redact(text: string): string {
    let out = this.redactKnown(text);
    for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
    return out;
  }

  /**
   * Removes only the exact values remembered: for content (an issue, a page) that may rightly
   * hold text shaped like a credential, but never one of ours.
   */
  redactKnown(text: string): string {
    let out = this.parent ? this.parent.redactKnown(text) : text;
    // Longest first, so a secret that contains another is removed whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      out = out.split(secret).join(REDACTED);
      const encoded = encodeURIComponent(secret);
      if (encoded !== secret) out = out.split(encoded).join(REDACTED);
    }
    return out;
  }
}

/**
 * Every form in which an Authorization value can be echoed back: the whole value, the credential
 * after the scheme, and for Basic the decoded `user:secret` and the secret alone.
 */
export function credentialSecrets(authorization: string): string[] {
  const match = /^(\S+)\s+(\S+)$/.exec(authorization.trim());
  if (!match) return [authorization];
  const [, scheme, credential] = match as unknown as [string, string, string];
  const out = [authorization, credential];
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(credential, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) out.push(decoded, decoded.slice(colon + 1));
  }
  return out;
}
