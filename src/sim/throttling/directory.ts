/**
 * Directory (identity and access) throttling: a resource-unit bucket that every call draws from,
 * and a write bucket that POST, PATCH, PUT and DELETE also draw from. Costs follow Microsoft's
 * table: most calls 1 unit, listing users or a user's memberships 2, subscribedSkus and group
 * members 3; $select takes one off, $expand adds one, $top under 20 takes one off, never below 1.
 */
import { ADMITTED, isWrite, refused, type Admission, type ThrottleModel, type ThrottledCall } from './admission';
import { tooManyRequests } from './refusals';
import { chargeAll, TokenBucket, type Clock, type Quota } from './token-bucket';

/** Base costs that differ from 1, as method and path with * for an id; me/x counts as users/{id}/x. */
const BASE_COSTS: Record<string, number> = {
  'GET applications': 2,
  'GET applications/*/extensionproperties': 2,
  'GET contracts': 3,
  'POST directoryobjects/getbyids': 3,
  'GET groups/*/members': 3,
  'GET groups/*/transitivemembers': 5,
  'GET users/*/licensedetails': 2,
  'GET users/*/memberof': 2,
  'GET users/*/ownedobjects': 2,
  'GET users/*/transitivememberof': 2,
  'POST users/*/checkmembergroups': 4,
  'POST users/*/getmembergroups': 2,
  'GET oauth2permissiongrants': 2,
  'GET oauth2permissiongrants/*': 2,
  'GET serviceprincipals/*/approleassignments': 2,
  'GET subscribedskus': 3,
  'GET users': 2,
};

function baseCost(method: string, segments: string[]): number {
  const lower = segments.map((s) => s.toLowerCase());
  const asUser = lower[0] === 'me' ? ['users', '*', ...lower.slice(1)] : lower;
  // In the paths of the table every second segment is an id (users/{id}/memberOf), bar $-segments.
  const shaped = asUser.map((s, i) => (i % 2 === 1 && !s.startsWith('$') ? '*' : s)).join('/');
  return BASE_COSTS[`${method} ${lower.join('/')}`] ?? BASE_COSTS[`${method} ${shaped}`] ?? 1;
}

export function directoryResourceUnits(call: ThrottledCall): number {
  let cost = baseCost(call.method, call.segments);
  if (call.query.has('$select')) cost -= 1;
  if (call.query.has('$expand')) cost += 1;
  const top = Number(call.query.get('$top'));
  if (call.query.has('$top') && top < 20) cost -= 1;
  return Math.max(1, cost);
}

export class DirectoryThrottle implements ThrottleModel {
  private readonly units?: TokenBucket;
  private readonly writes?: TokenBucket;

  constructor(limits: { readUnits?: Quota; writes?: Quota }, now: Clock) {
    this.units = limits.readUnits && new TokenBucket(limits.readUnits, now);
    this.writes = limits.writes && new TokenBucket(limits.writes, now);
  }

  admit(call: ThrottledCall): Admission {
    const write = isWrite(call.method);
    const writeWait = write ? this.writes?.waitFor(1) : undefined;
    const wait = chargeAll([
      [this.units, directoryResourceUnits(call)],
      [write ? this.writes : undefined, 1],
    ]);
    if (wait === undefined) return ADMITTED;
    // Graph says which limit was hit, for diagnostics.
    const information = writeWait !== undefined ? 'WriteLimitExceeded' : 'ResourceUnitLimitExceeded';
    return refused(tooManyRequests(wait, { 'x-ms-throttle-information': information }));
  }
}
