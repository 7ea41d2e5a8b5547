import assert from 'node:assert/strict';
import { WritePacer, type WritePacerOptions } from '../../src/engine/write-pacer';
import { M365Error } from '../../src/m365/m365-error';

/** A clock that moves only when someone sleeps on it, so pacing is tested without waiting. */
class FakeClock {
  at = 0;
  now = (): number => this.at;
  sleep = async (ms: number): Promise<void> => {
    this.at += ms;
  };
}

const OPTIONS: WritePacerOptions = { initialPerSecond: 10, minPerSecond: 1, maxPerSecond: 100, backoffFactor: 0.5, probePerSecond: 1, maxRetries: 3, maxWaitSeconds: 5 };
const throttled = (seconds: number) => new M365Error(429, 'TooManyRequests', 'PATCH /users/x failed: throttled', 'r-1', seconds);

describe('the write pacer', () => {
  it('lets a second of writes through at once, then spaces the rest at its rate', async () => {
    const clock = new FakeClock();
    const pacer = new WritePacer(OPTIONS, clock);
    const sentAt: number[] = [];
    await Promise.all(Array.from({ length: 15 }, () => pacer.send(async () => sentAt.push(clock.now()))));
    assert.equal(sentAt.filter((t) => t === 0).length, 10);
    // Five more at 10/s take half a second, a little less as the rate probes upwards.
    assert.ok(sentAt[14] > 400 && sentAt[14] <= 500, `the 15th write went at ${sentAt[14]} ms`);
  });

  it('holds every write until the Retry-After of a 429 has passed, slows down, and re-sends the refused write once', async () => {
    const clock = new FakeClock();
    const pacer = new WritePacer(OPTIONS, clock);
    const applied: number[] = [];
    let refuse = true;
    const write = (n: number) => async () => {
      if (n === 0 && refuse) {
        refuse = false;
        throw throttled(2);
      }
      applied.push(n);
      return { at: clock.now(), n };
    };
    const results = await Promise.all([0, 1, 2].map((n) => pacer.send(write(n))));
    assert.deepEqual(applied.sort(), [0, 1, 2], 'each write applied exactly once');
    assert.ok(results[0].at >= 2_000, 'the refused write waited out Retry-After');
    assert.ok(pacer.perSecond < 10, `slowed down to ${pacer.perSecond}`);
  });

  it('probes back up while writes succeed', async () => {
    const clock = new FakeClock();
    const pacer = new WritePacer({ ...OPTIONS, initialPerSecond: 4 }, clock);
    for (let i = 0; i < 40; i++) await pacer.send(async () => undefined);
    assert.ok(pacer.perSecond > 6, `rate grew to ${pacer.perSecond}`);
  });

  it('passes a long Retry-After on to the step instead of waiting it out, and other errors at once', async () => {
    const clock = new FakeClock();
    const pacer = new WritePacer(OPTIONS, clock);
    await assert.rejects(pacer.send(async () => { throw throttled(40); }), /throttled/);
    assert.ok(clock.now() < 40_000, 'did not sit out 40 s');
    let calls = 0;
    await assert.rejects(pacer.send(async () => { calls++; throw new M365Error(403, 'Authorization_RequestDenied', 'denied', 'r-2'); }), /denied/);
    assert.equal(calls, 1);
  });
});
