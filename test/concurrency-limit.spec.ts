import assert from 'node:assert/strict';
import { ConcurrencyLimit } from '../src/concurrency-limit';

describe('concurrency limit', () => {
  it('runs at most N at once and every queued piece of work gets its turn', async () => {
    const slots = new ConcurrencyLimit(3);
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        slots.run(async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((r) => setTimeout(r, 5));
          running--;
          done.push(i);
        }),
      ),
    );
    assert.equal(peak, 3);
    assert.equal(done.length, 10);
  });

  it('frees the slot when the work fails', async () => {
    const slots = new ConcurrencyLimit(1);
    await assert.rejects(slots.run(async () => { throw new Error('Graph down'); }), /Graph down/);
    assert.equal(await slots.run(async () => 'next'), 'next');
  });
});
