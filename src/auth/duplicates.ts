// "Same site, same account": a new sign-in that repeats an existing connection (by cloud id or base
// URL, and account id or email) must not become a silent second copy that lists every issue twice.
import type { ConnectionInfo } from './connections';

type Comparable = Pick<ConnectionInfo, 'id' | 'cloudId' | 'siteUrl' | 'jiraBaseUrl' | 'user'>;

/** Existing connections to the same site as the same account, other than the one with the same id (a reconnect). */
export function sameSiteAndAccount<T extends Comparable>(existing: readonly T[], candidate: Comparable): T[] {
  return existing.filter((c) => c.id !== candidate.id && sameSite(c, candidate) && sameAccount(c, candidate));
}

function sameSite(a: Comparable, b: Comparable): boolean {
  if (a.cloudId && b.cloudId) return a.cloudId === b.cloudId;
  const urls = (c: Comparable) => new Set([siteKey(c.siteUrl), siteKey(c.jiraBaseUrl)]);
  const theirs = urls(b);
  return [...urls(a)].some((u) => u !== undefined && theirs.has(u));
}

function sameAccount(a: Comparable, b: Comparable): boolean {
  if (a.user.accountId && b.user.accountId) return a.user.accountId === b.user.accountId;
  const email = (c: Comparable) => c.user.email?.trim().toLowerCase();
  return email(a) !== undefined && email(a) === email(b);
}

/** Scheme, host (lower case, default port dropped) and path without a trailing slash. */
function siteKey(url: string): string | undefined {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host.toLowerCase()}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return undefined;
  }
}
