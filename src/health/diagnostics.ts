// The "Run Diagnostics" report: every check of the Connection view and the issue list, in Markdown
// that can be pasted into a bug report. Problems come first, each with what happened and what to
// do. The finished text passes a last scrub for secrets (known values and anything shaped like one).
import * as l10n from '@vscode/l10n';
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

function overallText(state: OverallState): string {
  switch (state) {
    case 'signedOut':
      return l10n.t('signed out');
    case 'connected':
      return l10n.t({ message: 'connected', comment: ['The state of a connection to an Atlassian site'] });
    case 'needsReconnect':
      return l10n.t('needs reconnect');
    case 'rateLimited':
      return l10n.t('rate limited');
    case 'unreachable':
      return l10n.t('Atlassian unreachable');
  }
}

const MARK: Record<CheckStatus, string> = { ok: '✅', info: 'ℹ️', warning: '⚠️', error: '❌', pending: '⏳' };

export function buildDiagnosticsReport(input: DiagnosticsInput): string {
  const { snapshot, environment } = input;
  const problems = collectProblems(input);
  const out: string[] = [
    `# ${l10n.t('Atlassian MCP Bridge diagnostics')}`,
    '',
    l10n.t({
      message: 'Generated {0} · extension {1} · {2} · {3}',
      args: [utcMinute(input.generatedAt), environment.extensionVersion, environment.editor, environment.runtime],
      comment: [
        '{0}: a UTC time; {1}: the extension version; {2}: the editor and its version; {3}: operating system, Node and remote',
      ],
    }),
    '',
    `> ${l10n.t('Tokens, passwords and other secrets are removed from this report. Read it before you share it.')}`,
    '',
    `## ${l10n.t({ message: 'Summary', comment: ['A heading of the diagnostics report'] })}`,
    '',
    `**${l10n.t({ message: 'Overall:', comment: ['The start of the diagnostics summary line: the overall state, then how many problems were found'] })}** ${overallText(snapshot.overall)} · ${countProblems(problems)}`,
    '',
  ];
  for (const [i, p] of problems.entries()) {
    out.push(
      `### ${i + 1}. ${p.status === 'warning' ? '⚠️' : '❌'} ${p.title}`,
      '',
      `**${l10n.t('What happened:')}** ${p.what}`,
      '',
      `**${l10n.t('What to do:')}** ${p.todo}`,
      '',
    );
  }

  out.push(
    `## ${l10n.t({ message: 'Connections', comment: ['A heading of the diagnostics report: the signed-in Atlassian sites'] })}`,
    '',
  );
  if (snapshot.connections.length === 0) out.push(l10n.t('None: run **Connect Atlassian** to sign in.'), '');
  for (const c of snapshot.connections) out.push(`### ${c.siteName} (${c.summary})`, '', ...table(c.checks), '');

  out.push(`## ${l10n.t('Local MCP bridge ({0})', snapshot.bridge.summary)}`, '', ...table(snapshot.bridge.checks), '');

  out.push(`## ${l10n.t('Remote MCP servers')}`, '');
  if (snapshot.remotes.length === 0) out.push(l10n.t('None configured (`atlassianMcpBridge.remoteServers`).'), '');
  for (const r of snapshot.remotes) out.push(`### ${r.label} (${r.summary})`, '', ...table(r.checks), '');

  out.push(`## ${l10n.t({ message: 'My Issues', comment: ['The name of the issue list view'] })}`, '');
  if (input.issueLists.length === 0) out.push(l10n.t('No issue list has been loaded yet.'), '');
  else {
    const header = [
      l10n.t({
        message: 'Connection',
        comment: ['A column heading of the diagnostics report: the Atlassian site an issue list belongs to'],
      }),
      l10n.t({
        message: 'Filter',
        comment: ['A column heading of the diagnostics report: the name of an issue filter'],
      }),
      resultHeading(),
    ];
    out.push(
      `| ${header.map(cell).join(' | ')} |`,
      '|---|---|---|',
      ...input.issueLists.map(
        (l) => `| ${cell(l.connection)} | ${cell(l.filter)} | ${l.problem ? '❌ ' : ''}${cell(l.result)} |`,
      ),
      '',
    );
  }
  return out.join('\n');
}

function resultHeading(): string {
  return l10n.t({
    message: 'Result',
    comment: ['A column heading of the diagnostics report: the outcome of a check or of loading an issue list'],
  });
}

function countProblems(problems: readonly ListedProblem[]): string {
  const warnings = problems.filter((p) => p.status === 'warning').length;
  const errors = problems.length - warnings;
  if (problems.length === 0) return l10n.t('no problems found');
  const errorText = errors === 1 ? l10n.t('1 problem') : l10n.t('{0} problems', errors);
  const warningText = warnings === 1 ? l10n.t('1 warning') : l10n.t('{0} warnings', warnings);
  if (errors > 0 && warnings > 0)
    return l10n.t({
      message: '{0}, {1} found',
      args: [errorText, warningText],
      comment: ['{0}: "2 problems"; {1}: "1 warning"'],
    });
  return l10n.t({
    message: '{0} found',
    args: [errors > 0 ? errorText : warningText],
    comment: ['{0}: "2 problems" or "1 warning"'],
  });
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
    add(
      l10n.t('Remote MCP server "{0}": {1}', r.label, r.summary),
      r.problem,
      r.state === 'redirect' ? 'warning' : 'error',
    );
    for (const check of r.checks)
      add(l10n.t('Remote MCP server "{0}": {1}', r.label, check.label), check.problem, check.status);
  }
  for (const check of snapshot.bridge.checks)
    add(l10n.t('Local MCP bridge: {0}', check.label), check.problem, check.status);
  for (const l of input.issueLists)
    add(
      l10n.t({
        message: 'My Issues, {0}: {1}',
        args: [l.connection, l.filter],
        comment: ['{0}: an Atlassian site; {1}: the name of an issue filter'],
      }),
      l.problem,
    );
  for (const text of input.settingsProblems) {
    add(
      l10n.t({
        message: 'Settings',
        comment: ['The title of a problem in the diagnostics report: a setting that cannot be used'],
      }),
      {
        what: text,
        todo: l10n.t('Fix the entry in the "atlassianMcpBridge.issues.filters" setting.'),
      },
    );
  }
  // Errors first, then warnings; within each, the order the report lists things.
  return [...found.filter((p) => p.status !== 'warning'), ...found.filter((p) => p.status === 'warning')];
}

function table(checks: readonly HealthCheck[]): string[] {
  const check = l10n.t({
    message: 'Check',
    comment: ['A column heading of the diagnostics report: the name of a health check'],
  });
  return [
    `| ${cell(check)} | ${cell(resultHeading())} |`,
    '|---|---|',
    ...checks.map((c) => `| ${MARK[c.status]} ${cell(c.label)} | ${cell(c.value)} |`),
  ];
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
    .replace(/(?<![\w-])[A-Za-z0-9_+=-]{32,}(?![\w-])/g, (run) =>
      UUID.test(run) || !/\d/.test(run) || !/[A-Za-z]/.test(run) ? run : REDACTED,
    );
}
