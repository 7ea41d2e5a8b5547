/**
 * Intune devices (/deviceManagement/..., /users/{id}/managedDevices): per app per tenant, writes
 * (retire, wipe, ...) 200 per 20 s and all calls together 2,000 per 20 s.
 */
import { ADMITTED, isWrite, refused, type Admission, type ThrottleModel, type ThrottledCall } from './admission';
import type { IntuneLimit } from './limits';
import { tooManyRequests } from './refusals';
import { chargeAll, TokenBucket, type Clock } from './token-bucket';

export class IntuneThrottle implements ThrottleModel {
  private readonly writes: TokenBucket;
  private readonly any: TokenBucket;

  constructor(limit: IntuneLimit, now: Clock) {
    this.writes = new TokenBucket(limit.writes, now);
    this.any = new TokenBucket(limit.any, now);
  }

  admit(call: ThrottledCall): Admission {
    const wait = chargeAll([
      [this.any, 1],
      [isWrite(call.method) ? this.writes : undefined, 1],
    ]);
    return wait === undefined ? ADMITTED : refused(tooManyRequests(wait));
  }
}
