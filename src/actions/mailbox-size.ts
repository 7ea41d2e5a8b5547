/** A mailbox's size as Exchange reports it, for the 50 GB a shared mailbox may hold without a licence. */
import { mailboxIdentity } from './exchange-mailbox';
import type { ActionContext } from './offboarding-action';

/** Exchange's units are binary: 50 GB is 50 × 1024³ bytes. */
export const SHARED_MAILBOX_LIMIT_BYTES = 50 * 1024 ** 3;

/**
 * The bytes in a ByteQuantifiedSize as the REST endpoint returns it, "1.234 GB (1,324,567,890
 * bytes)"; the figure in brackets is exact, the rounded one before it is not used. Undefined when
 * the value is not in that shape. Digit grouping differs by culture, so any separator is dropped.
 */
export function sizeInBytes(size: unknown): number | undefined {
  if (typeof size === 'number') return Number.isSafeInteger(size) && size >= 0 ? size : undefined;
  if (typeof size !== 'string') return undefined;
  const exact = /\(\s*(\d[\d.,'\s\u00a0\u202f]*)\s*bytes\s*\)/i.exec(size);
  if (!exact) return undefined;
  const bytes = Number(exact[1].replace(/\D/g, ''));
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

interface MailboxStatistics {
  TotalItemSize: unknown;
}

/** TotalItemSize of the primary mailbox (Get-MailboxStatistics), raw and in bytes when readable. */
export async function readMailboxSize(ctx: ActionContext): Promise<{ reported: unknown; bytes: number | undefined }> {
  const stats = (await ctx.exchange.invoke<MailboxStatistics>('Get-MailboxStatistics', { Identity: mailboxIdentity(ctx) })).value[0];
  return { reported: stats?.TotalItemSize, bytes: sizeInBytes(stats?.TotalItemSize) };
}
