import type { Logger } from '../log';
import type { CaseStore, StepClaim } from '../store/case-store';

export interface LeaseTiming {
  /** How long a claim holds a step without renewal; a dead instance's step waits this long. */
  ms: number;
  /** How often the holder renews while the step runs; at most a third of `ms`. */
  renewEveryMs: number;
}

export const DEFAULT_LEASE: LeaseTiming = { ms: 30_000, renewEveryMs: 10_000 };

/**
 * Holds one step's claim while the step runs: renews it on a timer and tells the engine whether a
 * write to the tenant may still go out. A write is allowed only while the lease is ours with more
 * than one renewal period left, so it cannot overlap with a takeover, which waits for the whole
 * lease to run out.
 */
export class StepLease {
  private lost = false;
  private timer?: NodeJS.Timeout;
  private renewing?: Promise<boolean>;

  constructor(
    private claim: StepClaim,
    private readonly deps: { store: CaseStore; now: () => Date; timing: LeaseTiming; log: Logger },
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.renew(), this.deps.timing.renewEveryMs);
    this.timer.unref();
  }

  /** True while this instance may change the tenant for the step. */
  get held(): boolean {
    return !this.lost && this.deps.now().getTime() + this.deps.timing.renewEveryMs < Date.parse(this.claim.leaseUntil);
  }

  /** Renews now; false once another instance has taken the step over. */
  renew(): Promise<boolean> {
    this.renewing ??= this.renewOnce().finally(() => (this.renewing = undefined));
    return this.renewing;
  }

  private async renewOnce(): Promise<boolean> {
    if (this.lost) return false;
    try {
      const next = await this.deps.store.renewStepClaim(this.claim, this.deps.now(), this.deps.timing.ms);
      if (!next) {
        this.lost = true;
        this.deps.log.warn('step.lease_lost', { caseId: this.claim.caseId, step: this.claim.step, owner: this.claim.owner });
        return false;
      }
      this.claim = next;
      return true;
    } catch (err) {
      // The store being briefly unreachable is not a lost lease; `held` turns false if it lasts.
      this.deps.log.warn('step.lease_renewal_failed', { caseId: this.claim.caseId, error: (err as Error).message });
      return this.held;
    }
  }

  /**
   * Stops renewing; `release` frees the step for its next run at once (its outcome is stored).
   * Releasing only saves waiting: if the store refuses it, the claim simply runs out.
   */
  async stop(release: boolean): Promise<void> {
    clearInterval(this.timer);
    await this.renewing;
    if (release && !this.lost) await releaseClaim(this.deps, this.claim);
  }
}

/**
 * Frees a claim whose work is stored. Releasing only saves the next run the wait: if the store
 * refuses it, the claim runs out at its `leaseUntil`, so the failure is logged, not raised.
 */
export async function releaseClaim(deps: { store: CaseStore; log: Logger }, claim: StepClaim): Promise<void> {
  try {
    await deps.store.releaseStepClaim(claim);
  } catch (err) {
    deps.log.warn('step.release_failed', { caseId: claim.caseId, step: claim.step, leaseUntil: claim.leaseUntil, error: (err as Error).message });
  }
}
