/**
 * Sliding windows of sign-in attempts, per client address and per e-mail: the address limit slows
 * one machine trying many accounts, the e-mail limit slows many machines trying one account. Kept in
 * memory: one runtime process serves the API, and a restart forgiving everyone is acceptable.
 */
const MAX_TRACKED_KEYS = 50_000;

export class LoginRateLimit {
  private readonly attempts = new Map<string, number[]>();

  constructor(private readonly limits: { perAddress: number; perEmail: number; windowMs: number }) {}

  /** Milliseconds until another attempt is allowed; 0 when it is allowed now. */
  retryAfter(address: string, email: string, now: number): number {
    return Math.max(
      this.wait(`ip:${address}`, this.limits.perAddress, now),
      this.wait(`email:${email}`, this.limits.perEmail, now),
    );
  }

  /** Every attempt counts against the address; only failures count against the e-mail. */
  record(address: string, email: string, succeeded: boolean, now: number): void {
    this.push(`ip:${address}`, now);
    if (succeeded) this.attempts.delete(`email:${email}`);
    else this.push(`email:${email}`, now);
  }

  private wait(key: string, limit: number, now: number): number {
    const recent = this.recent(key, now);
    if (recent.length < limit) return 0;
    return (recent[recent.length - limit] as number) + this.limits.windowMs - now;
  }

  private push(key: string, now: number): void {
    const recent = this.recent(key, now);
    recent.push(now);
    this.attempts.set(key, recent);
    // Keys are only trimmed when touched; a spray of one-off e-mails must not grow the map forever.
    if (this.attempts.size > MAX_TRACKED_KEYS) {
      for (const tracked of [...this.attempts.keys()]) this.recent(tracked, now);
    }
  }

  private recent(key: string, now: number): number[] {
    const kept = (this.attempts.get(key) ?? []).filter((at) => at > now - this.limits.windowMs);
    if (kept.length === 0) this.attempts.delete(key);
    return kept;
  }
}
