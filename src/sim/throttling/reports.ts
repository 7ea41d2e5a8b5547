/**
 * Identity and access reports (sign-in and directory audit logs under /auditLogs): 5 calls per
 * 10 seconds per app per tenant, the limit that binds when evidence is gathered user by user.
 */
import { ADMITTED, refused, type Admission, type ThrottleModel } from './admission';
import { tooManyRequests } from './refusals';
import { TokenBucket, type Clock, type Quota } from './token-bucket';

export class ReportsThrottle implements ThrottleModel {
  private readonly calls: TokenBucket;

  constructor(quota: Quota, now: Clock) {
    this.calls = new TokenBucket(quota, now);
  }

  admit(): Admission {
    const wait = this.calls.waitFor(1);
    if (wait !== undefined) return refused(tooManyRequests(wait));
    this.calls.take(1);
    return ADMITTED;
  }
}
