/**
 * All of the simulated tenant's throttling: sends each Graph call to the model of the service
 * that answers it. Every model is off until configured; configure() replaces them all with fresh
 * buckets (at startup from startSimTenant's `limits`, at run time from tests or /_sim/limits).
 */
import { ADMITTED, type Admission, type ThrottleModel, type ThrottledCall } from './admission';
import { DirectoryThrottle } from './directory';
import { IntuneThrottle } from './intune';
import type { TenantLimits } from './limits';
import { OutlookThrottle } from './outlook';
import { ReportsThrottle } from './reports';
import { serviceOf, type Service } from '../../m365/graph-service';
import { SharePointThrottle } from './sharepoint';
import type { Clock } from './token-bucket';

export class TenantThrottling {
  private models: Partial<Record<Service, ThrottleModel>> = {};
  private current: TenantLimits = {};

  /**
   * @param now the clock every bucket reads; tests pass their own to move time.
   * @param mailboxKey maps a user id or UPN in an Outlook path to one key per mailbox.
   */
  constructor(
    limits: TenantLimits = {},
    private readonly now: Clock = Date.now,
    private readonly mailboxKey?: (idOrUpn: string) => string,
  ) {
    this.configure(limits);
  }

  get limits(): TenantLimits {
    return this.current;
  }

  configure(limits: TenantLimits): void {
    const { directoryWrites, directoryReadUnits, reports, outlook, intune, sharePoint } = limits;
    this.current = limits;
    this.models = {
      directory:
        directoryWrites || directoryReadUnits
          ? new DirectoryThrottle({ writes: directoryWrites, readUnits: directoryReadUnits }, this.now)
          : undefined,
      reports: reports && new ReportsThrottle(reports, this.now),
      outlook: outlook && new OutlookThrottle(outlook, this.now, this.mailboxKey),
      intune: intune && new IntuneThrottle(intune, this.now),
      sharePoint: sharePoint && new SharePointThrottle(sharePoint, this.now),
    };
  }

  admit(call: ThrottledCall): Admission {
    return this.models[serviceOf(call.segments)]?.admit(call) ?? ADMITTED;
  }
}
