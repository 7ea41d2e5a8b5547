/**
 * Per-person limit on commands, so one account (or a compromised one) cannot flood Graph lookups
 * or the approvers. A sliding window kept per instance: with several instances the effective
 * limit is per instance, which still bounds the load each one takes.
 */
export class CommandRateLimit {
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly maxCommands: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records an attempt; returns 0 when allowed, otherwise the seconds to wait. */
  take(personId: string): number {
    const now = this.now();
    const fresh = (this.recent.get(personId) ?? []).filter((t) => now - t < this.windowMs);
    if (fresh.length >= this.maxCommands) {
      this.recent.set(personId, fresh);
      return Math.ceil((this.windowMs - (now - fresh[0])) / 1000);
    }
    fresh.push(now);
    this.recent.set(personId, fresh);
    if (this.recent.size > 10_000) this.forgetIdle(now);
    return 0;
  }

  private forgetIdle(now: number): void {
    for (const [id, times] of this.recent) if (times.every((t) => now - t >= this.windowMs)) this.recent.delete(id);
  }
}
