import { M365Error } from '../m365/m365-error';

/** One line for a failed call: Graph's message, code, HTTP status and request-id, for the case record. */
export function describeError(err: unknown): string {
  if (err instanceof M365Error) {
    return `${err.message} (${err.code}, HTTP ${err.status}${err.requestId ? `, request-id ${err.requestId}` : ''})`;
  }
  return `Unexpected error: ${err instanceof Error ? err.message : String(err)}`;
}
