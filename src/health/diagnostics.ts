// The "Run Diagnostics" report: every check of the Connection view and the issue list, in Markdown
// that can be pasted into a bug report. Problems come first, each with what happened and what to
// do. The finished text passes a last scrub for secrets (known values and anything shaped like one).
import { REDACTED } from '../core/redact';
import { utcMinute } from '../core/time';
import type { CheckStatus, HealthCheck, HealthSnapshot, OverallState, Problem } from './health';

export interface DiagnosticsEnvironment {
  readonly extensionVersion: string;
  /** e.g. "Visual Studio Code 1.101.0" or "code-server 1.139.1". */
  readonly editor: string;
  /** e.g. "linux x64, Node 22.17.0, remote: ssh-remote". */
  readonly runtime: string;
}

/** One filter of the issue list, as it last loaded. */
export interface IssueListStatus {
  readonly connection: string;
  readonly filter: string;
  readonly result: string;
  readonly problem?: Problem;
}

export interface DiagnosticsInput {
  readonly snapshot: HealthSnapshot;
  readonly environment: DiagnosticsEnvironment;
  readonly issueLists: readonly IssueListStatus[];
  /** Settings that could not be honoured (e.g. issue filters without JQL). */
  readonly settingsProblems: readonly string[];
  readonly generatedAt: number;
}

const OVERALL: Record<OverallState, string> = {
  signedOut: 'signed out',
  connected: 'connected',
  needsReconnect: 'needs reconnect',
  rateLimited: 'rate limited',
  unreachable: 'Atlassian unreachable',
};

const MARK: Record<CheckStatus, string> = { ok: '✅', info: 'ℹ️', warning: '⚠️', error: '❌', pending: '⏳' };

export function buildDiagnosticsReport(input: DiagnosticsInput): string {
  const { snapshot, environment } = input;
  const problems = collectProblems(input);
  const out: string[] = [
    '# Atlassian MCP Bridge diagnostics',
    '',
    `Generated ${utcMinute(input.generatedAt)} · extension ${environment.extensionVersion} · ${environment.editor} · ${environment.runtime}`,
    '',
    '> Tokens, passwords and other secrets are removed from this report. Read it before you share it.',
    '',
    '## Summary',
    '',
    `**Overall:** ${OVERALL[snapshot.overall]} · ${countProblems(problems)}`,
    '',
  ];
  for (const [i, p] of problems.entries()) {
    out.push(`### ${i + 1}. ${p.status === 'warning' ? '⚠️' : '❌'} ${p.title}`, '', `**What happened:** ${p.what}`, '', `**What to do:** ${p.todo}`, '');
  }

  out.push('## Connections', '');
  if (snapshot.connections.length === 0) out.push('None: run **Connect Atlassian** to sign in.', '');
  for (const c of snapshot.connections) out.push(`### ${c.siteName} (${c.summary})`, '', ...table(c.checks), '');

  out.push(`## Local MCP bridge (${snapshot.bridge.summary})`, '', ...table(snapshot.bridge.checks), '');

  out.push('## Remote MCP servers', '');
  if (snapshot.remotes.length === 0) out.push('None configured (`atlassianMcpBridge.remoteServers`).', '');
  for (const r of snapshot.remotes) out.push(`### ${r.label} (${r.summary})`, '', ...table(r.checks), '');

  out.push('## My Issues', '');
  if (input.issueLists.length === 0) out.push('No issue list has been loaded yet.', '');
  else out.push('| Connection | Filter | Result |', '|---|---|---|', ...input.issueLists.map((l) => `| ${cell(l.connection)} | ${cell(l.filter)} | ${l.problem ? '❌ ' : ''}${cell(l.result)} |`), '');
  return out.join('\n');
}

function countProblems(problems: readonly ListedProblem[]): string {
  const warnings = problems.filter((p) => p.status === 'warning').length;
  const errors = problems.length - warnings;
  if (problems.length === 0) return 'no problems found';
  const parts = [...(errors > 0 ? [`${errors} problem${errors === 1 ? '' : 's'}`] : []), ...(warnings > 0 ? [`${warnings} warning${warnings === 1 ? '' : 's'}`] : [])];
  return `${parts.join(', ')} found`;
}

interface ListedProblem extends Problem {
  readonly title: string;
  readonly status: CheckStatus;
}

function collectProblems(input: DiagnosticsInput): ListedProblem[] {
  const found: ListedProblem[] = [];
  const add = (title: string, problem: Problem | undefined, status: CheckStatus = 'error') => {
    // The same failure often shows on a server and on one of its checks: list it once.
    if (problem && !found.some((p) => p.what === problem.what)) found.push({ title, status, ...problem });
  };
  const { snapshot } = input;
  for (const c of snapshot.connections) {
    add(`${c.siteName}: ${c.summary}`, c.problem);
    for (const check of c.checks) add(`${c.siteName}: ${check.label}`, check.problem, check.status);
  }
  for (const r of snapshot.remotes) {
    add(`Remote MCP server "${r.label}": ${r.summary}`, r.problem, r.state === 'redirect' ? 'warning' : 'error');
    for (const check of r.checks) add(`Remote MCP server "${r.label}": ${check.label}`, check.problem, check.status);
  }
  for (const check of snapshot.bridge.checks) add(`Local MCP bridge: ${check.label}`, check.problem, check.status);
  for (const l of input.issueLists) add(`My Issues, ${l.connection}: ${l.filter}`, l.problem);
  for (const text of input.settingsProblems) add('Settings', { what: text, todo: 'Fix the entry in the "atlassianMcpBridge.issues.filters" setting.' });
  // Errors first, then warnings; within each, the order the report lists things.
  return [...found.filter((p) => p.status !== 'warning'), ...found.filter((p) => p.status === 'warning')];
}

function table(checks: readonly HealthCheck[]): string[] {
  return ['| Check | Result |', '|---|---|', ...checks.map((c) => `| ${MARK[c.status]} ${cell(c.label)} | ${cell(c.value)} |`)];
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The last scrub before the report leaves: every secret value the extension holds (also
 * URL-encoded), then anything shaped like a credential — auth header values, JWTs, Atlassian API
 * tokens, user:password in URLs, the forwarding endpoint's route secrets and long opaque strings.
 * Cloud ids and account ids (UUIDs) stay: they are not secret and are what support asks for.
 */
export function scrubReport(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of [...new Set(secrets)].filter((s) => s.length >= 6).sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join(REDACTED);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join(REDACTED);
  }
  return out
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{16,}/gi, `$1 ${REDACTED}`)
    .replace(/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, REDACTED)
    .replace(/\bATATT[0-9A-Za-z_=-]{10,}/g, REDACTED)
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi, `$1${REDACTED}@`)
    .replace(/\/r\/[A-Za-z0-9_-]{16,}/g, `/r/${REDACTED}`)
    .replace(/(?<![\w-])[A-Za-z0-9_+=-]{32,}(?![\w-])/g, (run) => (UUID.test(run) || !/\d/.test(run) || !/[A-Za-z]/.test(run) ? run : REDACTED));
}
