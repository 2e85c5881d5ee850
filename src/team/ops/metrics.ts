// Prometheus metrics for the team server (prom-client, on a registry of its own: no global state).
// Labels are bounded sets (tool names, outcomes, status codes), never a person or an issue key.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type CallOutcome = 'ok' | 'error' | 'unauthorized' | 'rate_limited';

/** People count as active while they made a call within this window. */
const ACTIVE_WINDOW_MS = 15 * 60_000;

export class TeamMetrics {
  readonly registry = new Registry();
  private readonly calls: Counter<'tool' | 'outcome'>;
  private readonly latency: Histogram<'tool'>;
  private readonly upstream: Counter<'status'>;
  private readonly rateLimited: Counter<'reason'>;
  private readonly refreshes: Counter<'outcome'>;
  private readonly lastSeen = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'amb_team_' });
    this.calls = new Counter({
      name: 'amb_team_tool_calls_total',
      help: 'MCP tool calls by tool and outcome.',
      labelNames: ['tool', 'outcome'],
      registers,
    });
    this.latency = new Histogram({
      name: 'amb_team_tool_call_duration_seconds',
      help: 'MCP tool call latency.',
      labelNames: ['tool'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.upstream = new Counter({
      name: 'amb_team_upstream_responses_total',
      help: 'Atlassian responses by HTTP status code.',
      labelNames: ['status'],
      registers,
    });
    this.rateLimited = new Counter({
      name: 'amb_team_upstream_rate_limited_total',
      help: 'Atlassian 429 responses by RateLimit-Reason.',
      labelNames: ['reason'],
      registers,
    });
    this.refreshes = new Counter({
      name: 'amb_team_token_refreshes_total',
      help: 'Atlassian token refreshes by outcome.',
      labelNames: ['outcome'],
      registers,
    });
    const lastSeen = this.lastSeen;
    const clock = this.now;
    new Gauge({
      name: 'amb_team_active_users',
      help: `People who made a call in the last ${ACTIVE_WINDOW_MS / 60_000} minutes.`,
      registers,
      collect() {
        const cutoff = clock() - ACTIVE_WINDOW_MS;
        for (const [person, at] of lastSeen) if (at < cutoff) lastSeen.delete(person);
        this.set(lastSeen.size);
      },
    });
  }

  toolCall(personId: string, tool: string, outcome: CallOutcome, seconds: number): void {
    this.lastSeen.set(personId, this.now());
    this.calls.inc({ tool, outcome });
    this.latency.observe({ tool }, seconds);
  }

  upstreamResponse(status: number, rateLimitReason?: string): void {
    this.upstream.inc({ status: String(status) });
    if (status === 429) this.rateLimited.inc({ reason: rateLimitReason ?? 'unknown' });
  }

  refresh(outcome: 'refreshed' | 'invalid_grant' | 'error'): void {
    this.refreshes.inc({ outcome });
  }

  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
