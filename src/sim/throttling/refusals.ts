/** The 429 answers of each service, in the shapes Graph clients meet in production. */
import { GraphHttpError } from '../graph/errors';

export function tooManyRequests(retryAfterSeconds: number, extraHeaders: Record<string, string> = {}): GraphHttpError {
  return new GraphHttpError(429, 'TooManyRequests', 'Please retry again later.', {
    'Retry-After': String(retryAfterSeconds),
    ...extraHeaders,
  });
}

/** What Exchange answers through Graph when more calls are in flight on one mailbox than it allows. */
export function mailboxConcurrency(retryAfterSeconds: number): GraphHttpError {
  return new GraphHttpError(429, 'ApplicationThrottled', 'Application is over its MailboxConcurrency limit.', {
    'Retry-After': String(retryAfterSeconds),
  });
}

/** OneDrive and SharePoint's own throttling code. */
export function activityLimitReached(retryAfterSeconds: number): GraphHttpError {
  return new GraphHttpError(429, 'activityLimitReached', 'The request has been throttled.', {
    'Retry-After': String(retryAfterSeconds),
  });
}
