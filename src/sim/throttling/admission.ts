/** What every throttling model sees of a Graph call, and what it answers. */
import type { GraphHttpError } from '../graph/errors';

export interface ThrottledCall {
  method: string;
  /** Decoded path segments after /v1.0, e.g. ['users', 'janed@contoso.com', 'mailboxSettings']. */
  segments: string[];
  query: URLSearchParams;
}

export interface Admission {
  /** Set when the call is refused; the server answers with it instead of running the call. */
  refusal?: GraphHttpError;
  /** Ends an admitted call's stay in flight (Outlook counts concurrent calls); call once its answer is sent. */
  release(): void;
}

const nothingHeld = (): void => {};

export const ADMITTED: Admission = { release: nothingHeld };

export function refused(refusal: GraphHttpError): Admission {
  return { refusal, release: nothingHeld };
}

export const isWrite = (method: string): boolean => method !== 'GET' && method !== 'HEAD';

export interface ThrottleModel {
  admit(call: ThrottledCall): Admission;
}
