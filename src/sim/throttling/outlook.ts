/**
 * Outlook (mail folders, messages, inbox rules, mailbox settings), per app per mailbox: at most
 * `concurrent` calls in flight at once, counted from a call's arrival until its answer is sent
 * (so a slow answer keeps its slot), and a request quota over 10 minutes. A call past either
 * limit gets 429 with Retry-After; the concurrency refusal is Exchange's MailboxConcurrency error.
 * Inside a $batch each sub-request holds its slot only while it runs: Outlook runs at most four
 * sub-requests of a batch at a time, so a batch alone never trips the limit.
 */
import { refused, type Admission, type ThrottleModel, type ThrottledCall } from './admission';
import type { OutlookLimit } from './limits';
import { mailboxConcurrency, tooManyRequests } from './refusals';
import { mailboxOf } from '../../m365/graph-service';
import { TokenBucket, type Clock } from './token-bucket';

interface Mailbox {
  inFlight: number;
  requests: TokenBucket;
}

/** Seconds a caller is told to wait when a mailbox is busy: Graph does not document a value. */
const BUSY_RETRY_AFTER_SECONDS = 1;

export class OutlookThrottle implements ThrottleModel {
  private readonly mailboxes = new Map<string, Mailbox>();

  /** @param mailboxKey maps the id or UPN in the path to one key per mailbox. */
  constructor(
    private readonly limit: OutlookLimit,
    private readonly now: Clock,
    private readonly mailboxKey: (idOrUpn: string) => string = (ref) => ref.toLowerCase(),
  ) {}

  /** Calls in flight on a mailbox, for tests. */
  inFlight(idOrUpn: string): number {
    return this.mailboxes.get(this.mailboxKey(idOrUpn))?.inFlight ?? 0;
  }

  admit(call: ThrottledCall): Admission {
    const mailbox = this.mailbox(mailboxOf(call.segments));
    if (mailbox.inFlight >= this.limit.concurrent) return refused(mailboxConcurrency(BUSY_RETRY_AFTER_SECONDS));
    const wait = mailbox.requests.waitFor(1);
    if (wait !== undefined) return refused(tooManyRequests(wait));
    mailbox.requests.take(1);
    mailbox.inFlight += 1;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        mailbox.inFlight -= 1;
      },
    };
  }

  private mailbox(idOrUpn: string): Mailbox {
    const key = this.mailboxKey(idOrUpn);
    let mailbox = this.mailboxes.get(key);
    if (!mailbox) {
      mailbox = { inFlight: 0, requests: new TokenBucket(this.limit.requests, this.now) };
      this.mailboxes.set(key, mailbox);
    }
    return mailbox;
  }
}
