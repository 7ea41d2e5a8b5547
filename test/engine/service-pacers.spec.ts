import assert from 'node:assert/strict';
import { ServicePacers } from '../../src/engine/service-pacers';
import { M365Error } from '../../src/m365/m365-error';

/** A clock that moves only when someone sleeps on it, so pacing is tested without waiting. */
class FakeClock {
  at = 0;
  now = (): number => this.at;
  sleep = async (ms: number): Promise<void> => {
    this.at += ms;
  };
}

const WIPE = '/deviceManagement/managedDevices/d-1/wipe';
const MEMBERSHIP = '/groups/g-1/members/u-1/$ref';

describe('pacing per Microsoft 365 service', () => {
  it('an Intune 429 holds the Intune writes, not the directory writes', async () => {
    const clock = new FakeClock();
    const pacers = new ServicePacers({}, clock);
    let refused = false;
    const wipe = pacers.send(WIPE, 'write', async () => {
      if (!refused) {
        refused = true;
        throw new M365Error(429, 'TooManyRequests', 'POST wipe failed: throttled', 'r-1', 3);
      }
      return clock.now();
    });
    const membershipAt = await pacers.send(MEMBERSHIP, 'write', async () => clock.now());
    assert.equal(membershipAt, 0, 'the directory write went at once');
    assert.ok((await wipe) >= 3_000, 'the wipe was sent again after Retry-After');
    assert.ok(pacers.perSecond('intune', 'write') < 10, 'Intune writes slowed down');
    assert.equal(pacers.perSecond('directory', 'write'), 20 + 0.5 / 20, 'directory writes kept their pace (and probed up)');
  });

  it('lets the sign-in log reads through at the documented 5 per 10 s: five at once, then one every 2 s', async () => {
    const clock = new FakeClock();
    const pacers = new ServicePacers({ probePerSecond: 0 }, clock);
    const sentAt: number[] = [];
    for (let i = 0; i < 7; i++) await pacers.send(`/auditLogs/signIns?$filter=userId eq 'u${i}'`, 'read', async () => sentAt.push(clock.now()));
    assert.deepEqual(sentAt.map((t) => Math.round(t / 100) * 100), [0, 0, 0, 0, 0, 2_000, 4_000]);
  });
});
