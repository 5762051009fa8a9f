/**
 * Where a request waits for its turn under the platform's request limit. The client's own
 * {@link RequestThrottle} holds for one process; the queue layer hands in one shared by every
 * process (`RedisRequestGate`), so that the limit holds across workers.
 */
export interface RequestGate {
  /** Resolves when one more request may go. */
  acquire(): Promise<void>;
  /** No request goes before `ms` from now (the platform asked to wait). */
  pauseFor(ms: number): void;
  /**
   * 0 when requests may go; while the platform's wait (a 429) runs, how long a queued delivery
   * should step aside: to the wait's end, spread one interval apart for each delivery stepping
   * aside, so that they come back at the token's pace and not all at once.
   */
  stepAsideMs(): Promise<number>;
}

/**
 * At most `max` requests per `durationMs` from this process (a sliding window), and none while
 * paused by a rate limit. The queue's
 * limiter holds the platform-wide rate for deliveries; this keeps one process's reads polite.
 */
export class RequestThrottle implements RequestGate {
  private readonly sent: number[] = [];
  private chain: Promise<void> = Promise.resolve();
  private pausedUntil = 0;

  constructor(
    private readonly max: number,
    private readonly durationMs: number,
  ) {}

  /** No request goes before `ms` from now (the platform asked to wait); a longer pause already set stays. */
  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
  }

  private asideUntil = 0;

  async stepAsideMs(): Promise<number> {
    const now = Date.now();
    if (now >= this.pausedUntil) return 0;
    this.asideUntil = Math.max(this.asideUntil, this.pausedUntil) + this.durationMs / this.max;
    return this.asideUntil - this.durationMs / this.max - now;
  }

  /** Resolves when one more request may go. */
  acquire(): Promise<void> {
    const next = this.chain.then(() => this.slot());
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async slot(): Promise<void> {
    for (;;) {
      const now = Date.now();
      if (now < this.pausedUntil) {
        await new Promise((r) => setTimeout(r, this.pausedUntil - now));
        continue;
      }
      while (this.sent.length && this.sent[0] <= now - this.durationMs) this.sent.shift();
      if (this.sent.length < this.max) {
        this.sent.push(now);
        return;
      }
      await new Promise((r) => setTimeout(r, this.sent[0] + this.durationMs - now + 1));
    }
  }
}
