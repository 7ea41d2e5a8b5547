import type { AuditEvent } from '../store/case-store';
import { canonicalJson, sha256Hex } from './canonical-json';

/**
 * The audit log is hash-chained per case: each event carries its sequence number, the previous
 * event's hash and its own hash over (previous hash, event). Editing, deleting or reordering any
 * event breaks the chain from that point on, which `npm run audit:verify` reports.
 */
export interface ChainLink {
  seq: number;
  prevHash: string;
  hash: string;
}

export type ChainedAuditEvent = AuditEvent & ChainLink;

export const GENESIS_HASH = '0'.repeat(64);

function eventHash(prevHash: string, seq: number, e: AuditEvent): string {
  // Round-trip the detail through JSON: that is how it is stored and read back.
  const detail = e.detail === undefined ? undefined : (JSON.parse(JSON.stringify(e.detail)) as unknown);
  return sha256Hex(`${prevHash}\n${canonicalJson({ seq, caseId: e.caseId, at: e.at, actor: e.actor, event: e.event, detail })}`);
}

export function linkEvent(previous: ChainLink | null, event: AuditEvent): ChainedAuditEvent {
  const seq = (previous?.seq ?? 0) + 1;
  const prevHash = previous?.hash ?? GENESIS_HASH;
  return { ...event, seq, prevHash, hash: eventHash(prevHash, seq, event) };
}

/** Checks one case's events, in stored order; lists every break found. */
export function verifyChain(events: readonly ChainedAuditEvent[]): string[] {
  const problems: string[] = [];
  let previous: ChainLink | null = null;
  events.forEach((e, i) => {
    const where = `${e.caseId} event ${i + 1} (seq ${e.seq}, ${e.event})`;
    const expectedSeq = (previous?.seq ?? 0) + 1;
    if (e.seq !== expectedSeq) problems.push(`${where}: expected seq ${expectedSeq}; an event was deleted or reordered`);
    if (e.prevHash !== (previous?.hash ?? GENESIS_HASH)) problems.push(`${where}: does not follow the previous event's hash`);
    if (eventHash(e.prevHash, e.seq, e) !== e.hash) problems.push(`${where}: content does not match its hash; it was edited`);
    previous = e;
  });
  return problems;
}
