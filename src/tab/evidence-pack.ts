import type { OffboardingCase, Person } from '../cases/case';
import type { AuditEvent } from '../store/case-store';
import { evidenceOf } from './case-views';

/**
 * The evidence pack: everything an auditor needs to show later what happened to one departure,
 * as stored, without the dashboard's labels (those are for people; this is the record).
 */
export interface EvidencePack {
  format: 'offboarding-evidence-pack';
  formatVersion: 1;
  exportedAt: string;
  exportedBy: Person;
  case: OffboardingCase;
  /** The snapshot taken before any change (with its content hash), or null when the case has none. */
  evidence: unknown;
  /** Every audit event of the case, oldest first. */
  audit: AuditEvent[];
}

export function evidencePack(c: OffboardingCase, audit: AuditEvent[], exportedBy: Person, now: Date): EvidencePack {
  return {
    format: 'offboarding-evidence-pack',
    formatVersion: 1,
    exportedAt: now.toISOString(),
    exportedBy,
    case: c,
    evidence: evidenceOf(c),
    audit,
  };
}

/** A file name that says which case and when, safe for any download dialog. */
export function evidenceFileName(c: OffboardingCase, extension: 'json' | 'html'): string {
  const who = c.target.userPrincipalName.split('@')[0].replace(/[^a-z0-9._-]/gi, '_');
  return `offboarding-${who}-${c._id.slice(0, 8)}.${extension}`;
}
