// Liveness and readiness for the orchestrator. /healthz: the process answers. /readyz: it can serve
// (the database answers, the vault key is loaded) and is not shutting down, so a replica draining
// after SIGTERM leaves the load balancer before it stops.
import type { IncomingMessage, ServerResponse } from 'node:http';

export type ReadinessCheck = () => Promise<void> | void;

export class Health {
  private draining = false;

  constructor(
    private readonly checks: Readonly<Record<string, ReadinessCheck>>,
    private readonly timeoutMs = 2000,
  ) {}

  /** From now on /readyz answers 503 (graceful shutdown started). */
  drain(): void {
    this.draining = true;
  }

  /** Serves /healthz and /readyz; false for any other request. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = (req.url ?? '').split('?')[0];
    if (path === '/healthz') {
      respond(res, 200, { status: 'ok' });
      return true;
    }
    if (path !== '/readyz') return false;
    if (this.draining) {
      respond(res, 503, { status: 'draining' });
      return true;
    }
    const results = await Promise.all(
      Object.entries(this.checks).map(async ([name, check]) => [name, await this.run(check)] as const),
    );
    const failed = results.filter(([, error]) => error !== undefined);
    respond(res, failed.length ? 503 : 200, {
      status: failed.length ? 'unavailable' : 'ok',
      checks: Object.fromEntries(results.map(([name, error]) => [name, error ?? 'ok'])),
    });
    return true;
  }

  /** undefined when the check passed; otherwise a short reason (no secrets: checks throw plain messages). */
  private async run(check: ReadinessCheck): Promise<string | undefined> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        check(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
        }),
      ]);
      return undefined;
    } catch (err) {
      return err instanceof Error ? err.message.slice(0, 200) : 'failed';
    } finally {
      clearTimeout(timer);
    }
  }
}

function respond(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}
