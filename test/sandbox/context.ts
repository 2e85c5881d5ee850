// The contract between the sandbox's parts: the gateway/auth layer (index.ts, gateway.ts) decides
// who is calling which site, and the product routers (jira.ts, confluence.ts) read that from here.
import type { Request, Response } from 'express';
import type { SandboxUser } from './data/users';

export type Flavour = 'cloud' | 'datacenter';
export type AuthKind = 'oauth' | 'basic' | 'pat';

/** A Jira/Confluence instance: one Cloud site, or the Data Center server. */
export interface SiteRecord {
  /** Short name, e.g. "acme"; unique across the sandbox. */
  readonly name: string;
  /** Human-readable site name as accessible-resources reports it. */
  readonly displayName: string;
  /** The site's own base URL (API-token calls, browse links), no trailing slash. */
  readonly url: string;
  /** Cloud id (a UUID); Data Center has one too so the code paths stay uniform, but never publishes it. */
  readonly cloudId: string;
  readonly flavour: Flavour;
}

export interface RequestContext {
  readonly site: SiteRecord;
  readonly user: SandboxUser;
  readonly authKind: AuthKind;
  /** Granted OAuth scopes; null when the credential is not scope-limited (Basic, PAT). */
  readonly scopes: ReadonlySet<string> | null;
  /** Absolute base for Jira `self` links on this route, no trailing slash (gateway or site URL). */
  readonly jiraBase: string;
  /** Absolute base for Confluence links on this route, ending in `/wiki`, no trailing slash. */
  readonly confluenceBase: string;
}

const CONTEXT = 'sandboxContext';

export function setContext(res: Response, ctx: RequestContext): void {
  res.locals[CONTEXT] = ctx;
}

export function context(res: Response): RequestContext {
  const ctx = res.locals[CONTEXT] as RequestContext | undefined;
  if (!ctx) throw new Error('sandbox: route reached without an authenticated context');
  return ctx;
}

/**
 * Enforces OAuth scopes as the API gateway does: any one of `anyOf` suffices (classic or granular
 * names). Answers 401 "scope does not match" and returns false when none is granted.
 */
export function requireScope(_req: Request, res: Response, anyOf: readonly string[]): boolean {
  const { scopes } = context(res);
  if (scopes === null || anyOf.some((s) => scopes.has(s))) return true;
  res.status(401).json({ code: 401, message: 'Unauthorized; scope does not match' });
  return false;
}
