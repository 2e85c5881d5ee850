// The fetch the team server hands to each person's Atlassian client (HttpClientOptions.fetch): every
// upstream request waits for its fair share, its status is counted, and a 429's Retry-After pauses
// the whole team's traffic (the quota is shared). Retrying stays with the client's own policy.
import type { FairShareScheduler } from './fairShare';
import type { TeamMetrics } from './metrics';

export interface UpstreamFetchOptions {
  readonly scheduler: FairShareScheduler;
  readonly metrics?: TeamMetrics;
  readonly fetch?: typeof fetch;
}

export function teamUpstreamFetch(personId: string, options: UpstreamFetchOptions): typeof fetch {
  const inner = options.fetch ?? fetch;
  return (input, init) =>
    options.scheduler.run(personId, async () => {
      const response = await inner(input, init);
      options.metrics?.upstreamResponse(response.status, response.headers.get('RateLimit-Reason') ?? undefined);
      if (response.status === 429) {
        const seconds = Number(response.headers.get('Retry-After'));
        if (Number.isFinite(seconds) && seconds > 0) options.scheduler.pause(seconds * 1000);
      }
      return response;
    });
}
