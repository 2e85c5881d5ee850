// Per-person fair share of Atlassian's rate limits. Every upstream call of the team server goes
// through one scheduler: at most `concurrency` calls at once for the whole team; a free slot goes to
// the waiting person with the fewest calls running, then to whoever was served least recently, so one
// person's agent firing hundreds of calls cannot starve a colleague's single call. A 429 with Retry-After pauses everyone
// (Atlassian's quotas are per app and site, shared by the team).

export class QueueFullError extends Error {
  constructor(readonly personId: string) {
    super('Too many Atlassian calls are waiting for you; let some finish, then retry.');
    this.name = 'QueueFullError';
  }
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface FairShareOptions {
  /** Upstream calls in flight at once, for the whole team. */
  readonly concurrency: number;
  /** Calls one person may have waiting; more are refused at once (a clear, retryable error). */
  readonly maxQueuedPerPerson?: number;
  readonly now?: () => number;
  readonly timers?: Timers;
}

interface Waiting {
  readonly start: () => void;
}

export class FairShareScheduler {
  private readonly queues = new Map<string, Waiting[]>();
  private readonly runningBy = new Map<string, number>();
  /** When each person last got a slot (a sequence number), for round-robin among equals. */
  private readonly lastServed = new Map<string, number>();
  private sequence = 0;
  private running = 0;
  private pausedUntil = 0;
  private resumeTimer: unknown;
  private readonly now: () => number;
  private readonly timers: Timers;
  private readonly maxQueued: number;

  constructor(private readonly options: FairShareOptions) {
    if (options.concurrency < 1) throw new Error('concurrency must be at least 1');
    this.now = options.now ?? Date.now;
    this.timers = options.timers ?? { setTimeout, clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
    this.maxQueued = options.maxQueuedPerPerson ?? 100;
  }

  /** Runs `call` for `personId` when its turn comes. */
  run<T>(personId: string, call: () => Promise<T>): Promise<T> {
    const queue = this.queues.get(personId) ?? [];
    if (queue.length >= this.maxQueued) return Promise.reject(new QueueFullError(personId));
    return new Promise<T>((resolve, reject) => {
      queue.push({
        start: () => {
          this.running++;
          this.runningBy.set(personId, (this.runningBy.get(personId) ?? 0) + 1);
          this.lastServed.set(personId, ++this.sequence);
          call()
            .then(resolve, reject)
            .finally(() => {
              this.running--;
              const left = this.runningBy.get(personId)! - 1;
              if (left > 0) this.runningBy.set(personId, left);
              else this.runningBy.delete(personId);
              if (left === 0 && !this.queues.has(personId)) this.lastServed.delete(personId);
              this.dispatch();
            });
        },
      });
      this.queues.set(personId, queue);
      this.dispatch();
    });
  }

  /** Atlassian said 429: nobody starts a call before `retryAfterMs` has passed. */
  pause(retryAfterMs: number): void {
    const until = this.now() + retryAfterMs;
    if (until <= this.pausedUntil) return;
    this.pausedUntil = until;
    if (this.resumeTimer !== undefined) this.timers.clearTimeout(this.resumeTimer);
    this.resumeTimer = this.timers.setTimeout(() => {
      this.resumeTimer = undefined;
      this.dispatch();
    }, retryAfterMs);
  }

  /** Calls waiting, per person (for metrics and tests). */
  waiting(): ReadonlyMap<string, number> {
    return new Map([...this.queues].map(([person, queue]) => [person, queue.length]));
  }

  get inFlight(): number {
    return this.running;
  }

  private dispatch(): void {
    if (this.now() < this.pausedUntil) return;
    while (this.running < this.options.concurrency && this.queues.size > 0) {
      const person = this.nextPerson();
      const queue = this.queues.get(person)!;
      const next = queue.shift()!;
      if (queue.length === 0) this.queues.delete(person);
      next.start();
    }
  }

  private nextPerson(): string {
    let best: string | undefined;
    let bestKey: [number, number] = [Infinity, Infinity];
    for (const person of this.queues.keys()) {
      const key: [number, number] = [this.runningBy.get(person) ?? 0, this.lastServed.get(person) ?? 0];
      if (key[0] < bestKey[0] || (key[0] === bestKey[0] && key[1] < bestKey[1])) [best, bestKey] = [person, key];
    }
    return best!;
  }
}
