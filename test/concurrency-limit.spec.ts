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

  it('lets the lowest rank go first, and equal ranks in the order they asked', async () => {
    const slots = new ConcurrencyLimit(1);
    const order: string[] = [];
    const busy = slots.acquire();
    const holder = await busy;
    const queued = [
      slots.run(async () => order.push('clean-up A'), [1, 0]),
      slots.run(async () => order.push('contain B'), [0, 2]),
      slots.run(async () => order.push('contain C'), [0, 1]),
      slots.run(async () => order.push('clean-up D'), [1, 0]),
      slots.run(async () => order.push('read E')),
    ];
    holder.release();
    await Promise.all(queued);
    assert.deepEqual(order, ['read E', 'contain C', 'contain B', 'clean-up A', 'clean-up D']);
  });

  it('keeps a held slot between pieces of work unless waiting work outranks the next piece', async () => {
    const slots = new ConcurrencyLimit(1);
    const order: string[] = [];
    const held = await slots.acquire([0, 5]);
    const waiting = slots.run(async () => order.push('other case contains'), [0, 7]);
    await held.turn([0, 5]);
    order.push('holder contains');
    // Its next piece is clean-up, which the waiting containment outranks: that goes first.
    await held.turn([1, 5]);
    order.push('holder cleans up');
    held.release();
    await waiting;
    assert.deepEqual(order, ['holder contains', 'other case contains', 'holder cleans up']);
  });
});

