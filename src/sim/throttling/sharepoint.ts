/**
 * SharePoint and OneDrive (/drives/..., /users/{id}/drive...): resource units per app per tenant
 * per minute. Costs as "Avoid getting throttled or blocked in SharePoint Online" gives them for
 * Graph calls: 1 for a single item (GET a drive or an item), 2 for a multi-item query (a
 * collection such as .../children) and for create, update, delete; 5 for any permission
 * operation (.../permissions, .../invite, $expand=permissions). Assumption: a GET whose last
 * segment is a collection name (children, drives, items, root/children) is a multi-item query.
 */
import { ADMITTED, isWrite, refused, type Admission, type ThrottleModel, type ThrottledCall } from './admission';
import { activityLimitReached } from './refusals';
import { TokenBucket, type Clock, type Quota } from './token-bucket';

const PERMISSION_SEGMENTS = ['permissions', 'invite', 'grant', 'createlink'];
const COLLECTIONS = ['children', 'drives', 'items', 'versions', 'delta', 'search'];

export function sharePointResourceUnits(call: ThrottledCall): number {
  const lower = call.segments.map((s) => s.toLowerCase());
  const expand = call.query.get('$expand')?.toLowerCase() ?? '';
  if (lower.some((s) => PERMISSION_SEGMENTS.includes(s)) || expand.includes('permissions')) return 5;
  if (isWrite(call.method)) return 2;
  return COLLECTIONS.includes(lower[lower.length - 1] ?? '') ? 2 : 1;
}

export class SharePointThrottle implements ThrottleModel {
  private readonly units: TokenBucket;

  constructor(quota: Quota, now: Clock) {
    this.units = new TokenBucket(quota, now);
  }

  admit(call: ThrottledCall): Admission {
    const cost = sharePointResourceUnits(call);
    const wait = this.units.waitFor(cost);
    if (wait !== undefined) return refused(activityLimitReached(wait));
    this.units.take(cost);
    return ADMITTED;
  }
}
