// Each remote MCP server's health rows, as a probe through the forwarding endpoint sees it
// (reachability, TLS, redirects, MCP initialize, tools, latency).
import * as l10n from '@vscode/l10n';
import type { ServerPlan } from '../mcp/serverPlan';
import type { ProbeReport } from '../remote/forwardingTypes';
import type { HealthAction, HealthCheck, ProbeResult, Problem, RemoteHealth, RemotePlan } from './healthTypes';
import { milliseconds, signInLabel, toolCountText, urlLabel } from './healthLabels';

export function remoteHealth(
  plan: ServerPlan,
  probes: ReadonlyMap<string, ProbeResult>,
  probing: boolean,
): RemoteHealth[] {
  const out: RemoteHealth[] = [];
  const settingsAction: HealthAction = { kind: 'openSettings', setting: 'atlassianMcpBridge.remoteServers' };
  for (const server of plan.servers) {
    if (server.kind === 'rovo') {
      out.push({
        id: 'rovo',
        label: server.label,
        state: 'ok',
        summary: l10n.t('hosted by Atlassian'),
        checks: [
          { id: 'url', label: urlLabel(), value: server.url, status: 'info' },
          {
            id: 'auth',
            label: signInLabel(),
            value: l10n.t('VS Code signs in to it itself (its own OAuth); not probed here'),
            status: 'info',
          },
        ],
      });
    }
    if (server.kind !== 'remote') continue;
    const result = probes.get(server.id);
    if (!result) {
      out.push({
        id: server.id,
        label: server.label,
        state: probing ? 'checking' : 'unchecked',
        summary: probing ? l10n.t('checking…') : l10n.t('not checked yet'),
        checks: [{ id: 'url', label: urlLabel(), value: server.url, status: 'info' }],
      });
      continue;
    }
    if ('failure' in result) {
      const problem = {
        what: result.failure,
        todo: l10n.t('Check the server entry in the "atlassianMcpBridge.remoteServers" setting, then check again.'),
      };
      out.push({
        id: server.id,
        label: server.label,
        state: 'error',
        summary: l10n.t('cannot check'),
        checks: [{ id: 'url', label: urlLabel(), value: server.url, status: 'error', problem }],
        problem,
        action: settingsAction,
      });
      continue;
    }
    out.push(fromProbe(server, result.report, settingsAction));
  }
  for (const [index, text] of plan.problems.entries()) {
    const label = /"([^"]+)"/.exec(text)?.[1] ?? l10n.t('MCP server settings');
    const problem = {
      what: text,
      todo: l10n.t(
        'Fix the entry in the "atlassianMcpBridge.remoteServers" setting (or connect the connection it names).',
      ),
    };
    out.push({
      id: `problem:${index}`,
      label,
      state: 'misconfigured',
      summary: l10n.t('misconfigured: not published'),
      checks: [
        {
          id: 'setting',
          label: l10n.t({
            message: 'Setting',
            comment: ['A row label in the Connection view: the settings entry of a remote MCP server'],
          }),
          value: l10n.t('cannot be used as written'),
          status: 'error',
          problem,
        },
      ],
      problem,
      action: settingsAction,
    });
  }
  return out;
}

function fromProbe(server: RemotePlan, report: ProbeReport, settingsAction: HealthAction): RemoteHealth {
  const checks: HealthCheck[] = [
    { id: 'url', label: urlLabel(), value: report.url, status: 'info' },
    report.secure
      ? { id: 'tls', label: 'TLS', value: 'https', status: 'ok' }
      : {
          id: 'tls',
          label: 'TLS',
          value: l10n.t('plain http (accepted for servers on this machine only)'),
          status: 'info',
        },
    {
      id: 'reachable',
      label: l10n.t({
        message: 'Reachable',
        comment: ['A row label in the Connection view: whether the MCP server answered at all'],
      }),
      value: report.reachable ? l10n.t('yes') : l10n.t('no'),
      status: report.reachable ? 'ok' : 'error',
    },
  ];
  let problem: Problem | undefined;
  for (const [i, r] of report.redirects.entries()) {
    const redirectProblem = {
      what: r.message,
      todo: l10n.t(
        'Change the "url" of "{0}" in the "atlassianMcpBridge.remoteServers" setting as described.',
        server.label,
      ),
    };
    const to = absolute(r.to, r.from);
    checks.push({
      id: `redirect:${i}`,
      label: l10n.t({
        message: 'Redirect',
        comment: ['A row label in the Connection view: an HTTP redirect the MCP server answered with'],
      }),
      value: r.followed
        ? l10n.t({
            message: '{0} {1} → {2} (followed)',
            args: [r.status, r.from, to],
            comment: ['{0}: an HTTP status; {1} and {2}: URLs. The proxy followed the redirect.'],
          })
        : l10n.t({
            message: '{0} {1} → {2} (refused)',
            args: [r.status, r.from, to],
            comment: ['{0}: an HTTP status; {1} and {2}: URLs. The proxy did not follow the redirect.'],
          }),
      status: r.followed ? 'warning' : 'error',
      problem: redirectProblem,
    });
    if (!r.followed) problem ??= redirectProblem;
  }
  const latency = (ms: number | undefined) => (ms !== undefined ? [milliseconds(ms)] : []);
  const initializeLabel = l10n.t({
    message: 'MCP initialize',
    comment: ['A row label in the Connection view: the MCP "initialize" handshake with the server'],
  });
  if (report.server) {
    const protocol = report.protocolVersion
      ? [
          l10n.t({
            message: 'protocol {0}',
            args: [report.protocolVersion],
            comment: ['{0}: an MCP protocol version, e.g. 2025-06-18'],
          }),
        ]
      : [];
    checks.push({
      id: 'initialize',
      label: initializeLabel,
      value: [
        `${report.server.name} ${report.server.version}`,
        ...protocol,
        ...latency(report.latencyMs.initialize),
      ].join(' · '),
      status: 'ok',
    });
  } else {
    checks.push({ id: 'initialize', label: initializeLabel, value: l10n.t('failed'), status: 'error' });
  }
  if (report.toolCount !== undefined) {
    checks.push({
      id: 'tools',
      label: l10n.t({
        message: 'Tools',
        comment: ['A row label in the Connection view: the MCP tools a server offers'],
      }),
      value: [toolCountText(report.toolCount), ...latency(report.latencyMs.listTools)].join(' · '),
      status: 'ok',
    });
  }

  const modernOnly = modernOnlyProblem(report);
  if (modernOnly) {
    checks.push({
      id: 'era',
      label: l10n.t({
        message: 'MCP version',
        comment: ['A row label in the Connection view: which MCP protocol era the server speaks'],
      }),
      value: l10n.t({
        message: '{0} only',
        args: [(report.supportedVersions ?? [report.protocolVersion ?? '2026-07-28']).join(', ')],
        comment: ['{0}: MCP protocol versions, e.g. 2026-07-28'],
      }),
      status: 'error',
      problem: modernOnly,
    });
    return {
      id: server.id,
      label: server.label,
      state: 'error',
      summary: l10n.t({
        message: 'MCP {0} only',
        args: [report.protocolVersion ?? '2026-07-28'],
        comment: ['{0}: an MCP protocol version, e.g. 2026-07-28'],
      }),
      checks,
      problem: modernOnly,
      action: { kind: 'retry' },
    };
  }

  if (report.error !== undefined) {
    const error = readableProbeError(report.error);
    problem ??= { what: error, todo: remoteTodo(report) };
    checks.push({
      id: 'error',
      label: l10n.t({
        message: 'Error',
        comment: ['A row label in the Connection view: what went wrong talking to the MCP server'],
      }),
      value: error,
      status: 'error',
      problem,
    });
    const action: HealthAction = needsSignIn(report.error)
      ? { kind: 'reconnect' }
      : report.redirects.length > 0
        ? settingsAction
        : { kind: 'retry' };
    return {
      id: server.id,
      label: server.label,
      state: 'error',
      summary: problemSummary(report),
      checks,
      problem,
      action,
    };
  }
  const tools = report.toolCount !== undefined ? [toolCountText(report.toolCount)] : [];
  if (report.redirects.length > 0) {
    const first = report.redirects[0]!;
    return {
      id: server.id,
      label: server.label,
      state: 'redirect',
      summary: [l10n.t('works, but redirects'), ...tools].join(' · '),
      checks,
      problem: {
        what: first.message,
        todo: l10n.t(
          'Change the "url" of "{0}" in the "atlassianMcpBridge.remoteServers" setting to {1}.',
          server.label,
          first.to,
        ),
      },
      action: settingsAction,
    };
  }
  return {
    id: server.id,
    label: server.label,
    state: 'ok',
    summary: [
      l10n.t({ message: 'ok', comment: ['The state of a remote MCP server that answers as it should'] }),
      ...tools,
      ...latency(report.latencyMs.initialize),
    ].join(' · '),
    checks,
  };
}

/** A server that answers only the 2026-07-28 revision, which this VS Code cannot speak yet. */
function modernOnlyProblem(report: ProbeReport): Problem | undefined {
  if (report.era !== 'modern' || report.legacyHandshake !== false) return undefined;
  const what = l10n.t(
    'This server speaks only MCP 2026-07-28 (no initialize handshake). The running VS Code still speaks the 2025 handshake, so it cannot use this server yet.',
  );
  return {
    what: report.legacyError
      ? l10n.t({
          message: '{0} The 2025 handshake failed: {1}',
          args: [what, report.legacyError],
          comment: ['{0}: the sentence above; {1}: the error the server gave'],
        })
      : what,
    todo: l10n.t(
      "Use a VS Code version that speaks MCP 2026-07-28, or ask the server to keep serving 2025 clients too (for example the SDK's legacy stateless mode).",
    ),
  };
}

/**
 * Whether the forwarding endpoint said the connection must sign in again: its `data.reason`
 * (language-independent) or, from an older or other endpoint, the English wording.
 */
function needsSignIn(error: string): boolean {
  return /"reason":"(needsReconnect|unauthorized)"/.test(error) || /Connect Atlassian|sign(ed)? in again/i.test(error);
}

/**
 * The MCP client wraps what the server (or the forwarding endpoint) said in its JSON-RPC answer:
 * `Streamable HTTP error: Error POSTing to endpoint: {"jsonrpc":…,"error":{…,"message":"…"}}`.
 * The message alone is what a person needs.
 */
function readableProbeError(error: string): string {
  const quoted = /"message":"((?:[^"\\]|\\.)*)"/.exec(error)?.[1];
  if (quoted === undefined) return error;
  try {
    return JSON.parse(`"${quoted}"`) as string;
  } catch {
    return error;
  }
}

/** A Location as the absolute URL it points to (servers often send a bare path). */
function absolute(location: string, base: string): string {
  try {
    return new URL(location, base).href;
  } catch {
    return location;
  }
}

function problemSummary(report: ProbeReport): string {
  if (report.redirects.some((r) => !r.followed)) return l10n.t('redirect refused');
  if (!report.reachable) return l10n.t('unreachable');
  return l10n.t('failing');
}

function remoteTodo(report: ProbeReport): string {
  const error = report.error ?? '';
  if (report.redirects.some((r) => !r.followed))
    return l10n.t(
      'Change the server\'s URL in the "atlassianMcpBridge.remoteServers" setting as described, then check again.',
    );
  if (needsSignIn(error)) return l10n.t('Reconnect the connection this server uses, then check again.');
  if (/TLS|certificate|CERT/i.test(error))
    return l10n.t(
      "The server's certificate is not trusted: fix the certificate, or use the server's correct https host name.",
    );
  if (!report.reachable)
    return l10n.t(
      'Check the URL and that the server is running and reachable from this machine (proxy, VPN, firewall), then check again.',
    );
  if (/40[13]/.test(error))
    return l10n.t(
      'The server refused your Atlassian credentials: check that it accepts Atlassian OAuth tokens and the connection it should use.',
    );
  return l10n.t("Check that the URL points at the server's MCP endpoint (streamable HTTP), then check again.");
}
