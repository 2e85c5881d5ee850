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

  /** Remember a value that must never appear in output. Short values are ignored (they would shred text). */
  add(secret: string | undefined): void {
    if (secret && secret.length >= MIN_SECRET_LENGTH) this.secrets.add(secret);
  }

  forget(secret: string | undefined): void {
    if (secret) this.secrets.delete(secret);
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a secret that contains another is removed whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      out = out.split(secret).join(REDACTED);
      const encoded = encodeURIComponent(secret);
      if (encoded !== secret) out = out.split(encoded).join(REDACTED);
    }
    for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
    return out;
  }
}
