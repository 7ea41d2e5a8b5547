/** The one error type for a failed Microsoft 365 call: what failed, Graph's code and request-id. */
export class M365Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | undefined,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'M365Error';
  }

  /** Throttling or a transient service fault: worth trying again later. */
  get transient(): boolean {
    return this.status === 429 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}
