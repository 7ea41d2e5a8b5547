import { randomUUID } from 'node:crypto';
import type { AccessTokenSource } from './access-token';
import { M365Error } from './m365-error';

/** The well-known system mailbox Exchange routes app-only admin calls through. */
const ANCHOR_MAILBOX = 'SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}';

/**
 * PowerShell's @{Add=…; Remove=…} for a multivalued property such as ManagedBy: changes some values
 * and keeps the others. Over REST the hashtable must carry this @odata.type, or Exchange cannot bind it.
 */
export interface MultiValuedEdit {
  '@odata.type': '#Exchange.GenericHashTable';
  Add?: string[];
  Remove?: string[];
}

export type CmdletParameters = Record<string, string | boolean | number | string[] | MultiValuedEdit | null>;

export interface CmdletResult<T> {
  /** Every object the cmdlet returned, all pages read. */
  value: T[];
  /** request-id of each page, kept as evidence. */
  requestIds: string[];
}

/** The part of the Exchange client actions use; runAction wraps it to keep every request-id. */
export interface ExchangeCalls {
  invoke<T = Record<string, unknown>>(cmdlet: string, parameters?: CmdletParameters): Promise<CmdletResult<T>>;
}

interface Page {
  value?: unknown[];
  '@odata.nextLink'?: string;
  error?: { code?: string; message?: string; details?: Array<{ message?: string }> | { message?: string } };
}

export interface ExchangeOptions {
  /** https://outlook.office365.com, or the simulated tenant's URL. */
  baseUrl: string;
  tenantId: string;
  /** Tokens for https://outlook.office365.com/.default. */
  tokens: AccessTokenSource;
  /** Throttled (429) or unavailable (503/504) calls are tried this many more times; default 3. */
  maxRetries?: number;
  /** Longest wait honoured from Retry-After, in seconds; default 60. */
  maxRetryAfterSeconds?: number;
  /** How to wait between retries; tests pass a fast one. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Exchange's message reads "Ex6F9304|Microsoft.Exchange...ManagementObjectNotFoundException|The
 * operation couldn't be performed..."; the exception's short name is the stable code actions test.
 */
function parseError(page: Page | undefined, status: number): { code: string; message: string } {
  const details = page?.error?.details;
  const raw = (Array.isArray(details) ? details[0]?.message : details?.message) ?? page?.error?.message ?? `HTTP ${status}`;
  const parts = raw.split('|');
  if (parts.length >= 3) return { code: parts[1].split('.').pop() ?? parts[1], message: parts.slice(2).join('|') };
  return { code: page?.error?.code ?? `Http${status}`, message: raw };
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Exchange Online admin REST (the endpoint behind the Exchange PowerShell module): one cmdlet per
 * POST to InvokeCommand. Uses Node's fetch: graph-client only knows Graph's URLs and paging.
 * Fails with M365Error, the same error type as Graph calls.
 */
export class Exchange implements ExchangeCalls {
  private readonly endpoint: string;

  constructor(private readonly opts: ExchangeOptions) {
    this.endpoint = `${opts.baseUrl.replace(/\/+$/, '')}/adminapi/beta/${encodeURIComponent(opts.tenantId)}/InvokeCommand`;
  }

  async invoke<T = Record<string, unknown>>(cmdlet: string, parameters: CmdletParameters = {}): Promise<CmdletResult<T>> {
    const body = JSON.stringify({ CmdletInput: { CmdletName: cmdlet, Parameters: parameters } });
    const value: T[] = [];
    const requestIds: string[] = [];
    let url: string | undefined = this.endpoint;
    while (url) {
      const { page, requestId } = await this.post(url, body, cmdlet);
      if (requestId) requestIds.push(requestId);
      value.push(...((page.value ?? []) as T[]));
      // Exchange pages by re-POSTing the same command to the link it gives.
      url = page['@odata.nextLink'];
    }
    return { value, requestIds };
  }

  private async post(url: string, body: string, cmdlet: string): Promise<{ page: Page; requestId?: string }> {
    const retries = this.opts.maxRetries ?? 3;
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${await this.opts.tokens.getToken()}`,
            'X-AnchorMailbox': `APP:${ANCHOR_MAILBOX}@${this.opts.tenantId}`,
            'Content-Type': 'application/json',
            'client-request-id': randomUUID(),
          },
          body,
        });
      } catch (err) {
        throw new M365Error(0, 'NetworkError', `${cmdlet} could not reach Exchange Online: ${(err as Error).message}`, undefined);
      }
      const requestId = res.headers.get('request-id') ?? undefined;
      const text = await res.text();
      let page: Page | undefined;
      try {
        page = text ? (JSON.parse(text) as Page) : {};
      } catch {
        page = undefined;
      }
      if (res.ok && page) return { page, requestId };
      const retryAfter = Number(res.headers.get('retry-after'));
      const transient = res.status === 429 || res.status === 503 || res.status === 504;
      if (transient && attempt < retries) {
        const seconds = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 2 ** attempt;
        await (this.opts.sleep ?? wait)(Math.min(seconds, this.opts.maxRetryAfterSeconds ?? 60) * 1000);
        continue;
      }
      const { code, message } = parseError(page, res.status);
      throw new M365Error(res.status, code, `${cmdlet} failed: ${message}`, requestId, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
    }
  }
}

/**
 * Stands in when no Exchange client was configured: every cmdlet fails with a code runAction
 * turns into a manual step, so a run without Exchange still tells a person what is left.
 */
export const exchangeNotConnected: ExchangeCalls = {
  invoke: async (cmdlet) => {
    throw new M365Error(0, 'ExchangeNotConnected', `${cmdlet} was not run: this app is not connected to Exchange Online.`, undefined);
  },
};
