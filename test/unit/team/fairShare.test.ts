import assert from 'node:assert/strict';
import { FairShareScheduler, QueueFullError, type Timers } from '../../../src/team/ops/fairShare';

/** A call that finishes when the test says so, recording when it started. */
function controllable(log: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { call: () => (log.push(name), done.then(() => name)), finish: () => finish() };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('FairShareScheduler: per-person fair share of the upstream rate limit', () => {
  it("a colleague's single call goes next, not after one agent's hundred queued calls", async () => {
    const scheduler = new FairShareScheduler({ concurrency: 2, maxQueuedPerPerson: 200 });
    const started: string[] = [];
    const greedy = Array.from({ length: 100 }, (_, i) => controllable(started, `ada-${i}`));
    const greedyDone = greedy.map((c) => scheduler.run('ada', c.call));
    const polite = controllable(started, 'grace-0');
    const politeDone = scheduler.run('grace', polite.call);

    assert.deepEqual(started, ['ada-0', 'ada-1'], 'the team-wide limit: two at once');
    greedy[0]!.finish();
    await flush();
    assert.deepEqual(started, ['ada-0', 'ada-1', 'grace-0'], 'the freed slot goes to the person with nothing running');
    polite.finish();
    assert.equal(await politeDone, 'grace-0');
    for (const c of greedy) c.finish();
    assert.equal((await Promise.all(greedyDone)).length, 100);
    assert.equal(scheduler.inFlight, 0);
  });

  it("round-robin between three people keeps each one's order", async () => {
    const scheduler = new FairShareScheduler({ concurrency: 1 });
    const started: string[] = [];
    const calls = ['a1', 'a2', 'a3', 'b1', 'c1', 'c2'].map((name) => ({ name, ...controllable(started, name) }));
    const done = calls.map((c) => scheduler.run(c.name[0]!, c.call));
    // One at a time: finish whichever call started last, six times.
    for (let i = 0; i < calls.length; i++) {
      await flush();
      calls.find((x) => x.name === started.at(-1))!.finish();
    }
    await Promise.all(done);
    assert.deepEqual(started, ['a1', 'b1', 'c1', 'a2', 'c2', 'a3']);
  });

  it("refuses a person's call past their queue limit with a clear, retryable error, without touching others", async () => {
    const scheduler = new FairShareScheduler({ concurrency: 1, maxQueuedPerPerson: 2 });
    const started: string[] = [];
    const first = controllable(started, 'a');
    const running = scheduler.run('ada', first.call); // starts at once: not queued
    const queued = [scheduler.run('ada', async () => 'q1'), scheduler.run('ada', async () => 'q2')];
    await assert.rejects(
      scheduler.run('ada', async () => 'q3'),
      QueueFullError,
    );
    const other = scheduler.run('grace', async () => 'g');
    first.finish();
    assert.deepEqual(await Promise.all([running, ...queued, other]), ['a', 'q1', 'q2', 'g']);
  });

  it('a 429 Retry-After pauses everyone until it has passed', async () => {
    let now = 0;
    const pending: { at: number; fn: () => void }[] = [];
    const timers: Timers = {
      setTimeout: (fn, ms) => pending.push({ at: now + ms, fn }),
      clearTimeout: () => undefined,
    };
    const scheduler = new FairShareScheduler({ concurrency: 4, now: () => now, timers });
    scheduler.pause(5000);
    const started: string[] = [];
    const done = scheduler.run('ada', async () => void started.push('ada'));
    await flush();
    assert.deepEqual(started, [], 'nothing starts while paused');
    assert.equal(pending.length, 1);
    now = pending[0]!.at;
    pending[0]!.fn();
    await done;
    assert.deepEqual(started, ['ada']);
  });
});
