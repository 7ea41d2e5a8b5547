/**
 * A sliding-window limit per key: bounds how often one person (commands) or one person on one case
 * (audited refusals) can make the app do work or write. Kept per instance: with several instances
 * the effective limit is per instance, which still bounds what each one takes. Here, not in src/bot,
 * because the cases use it too and must not depend on the bot edge.
 */
export class RateWindow {
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly maxPerWindow: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records an attempt; returns 0 when allowed, otherwise the seconds to wait. */
  take(key: string): number {
    const now = this.now();
    const fresh = (this.recent.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (fresh.length >= this.maxPerWindow) {
      this.recent.set(key, fresh);
      return Math.ceil((this.windowMs - (now - fresh[0])) / 1000);
    }
    fresh.push(now);
    this.recent.set(key, fresh);
    if (this.recent.size > 10_000) this.forgetIdle(now);
    return 0;
  }

  private forgetIdle(now: number): void {
    for (const [key, times] of this.recent) if (times.every((t) => now - t >= this.windowMs)) this.recent.delete(key);
  }
}
