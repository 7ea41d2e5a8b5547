import assert from 'node:assert/strict';
import { RateWindow } from '../src/rate-window';

describe('the sliding-window rate limit (commands per person, audited refusals per person and case)', () => {
  it('allows a burst up to the limit, then says how long to wait, per key', () => {
    let now = 1_000_000;
    const limit = new RateWindow(3, 60_000, () => now);
    assert.deepEqual([limit.take('alex'), limit.take('alex'), limit.take('alex')], [0, 0, 0]);
    now += 15_000;
    assert.equal(limit.take('alex'), 45);
    assert.equal(limit.take('megan'), 0, 'someone else is not affected');
    now += 45_000;
    assert.equal(limit.take('alex'), 0, 'the window slid past the first commands');
  });
});
