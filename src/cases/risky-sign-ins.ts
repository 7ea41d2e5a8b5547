import type { GraphCalls } from '../actions/offboarding-action';
import { guidSegment, odataString } from '../m365/odata';

interface SignIn {
  createdDateTime: string;
  riskLevelDuringSignIn?: string;
  riskState?: string;
  appDisplayName?: string;
  location?: { city?: string; countryOrRegion?: string } | null;
}

/** Only the latest sign-ins: the report has a very low throttle (5 requests per 10 s) and approvers need the recent ones. */
const RECENT = 50;
const MAX_FLAGGED = 3;
const RISKY_LEVELS = ['medium', 'high'];
const AT_RISK = ['atRisk', 'confirmedCompromised'];

const isRisky = (s: SignIn) => RISKY_LEVELS.includes(s.riskLevelDuringSignIn ?? '') || AT_RISK.includes(s.riskState ?? '');

function describe(s: SignIn): string {
  const place = [s.location?.city, s.location?.countryOrRegion].filter(Boolean).join(', ') || 'an unknown place';
  const at = `${s.createdDateTime.slice(0, 16).replace('T', ' ')} UTC`;
  return `Risky sign-in (${s.riskLevelDuringSignIn ?? 'unknown'} risk) to ${s.appDisplayName ?? 'an app'} from ${place} at ${at}.`;
}

/**
 * Risk flags for the user's recent risky sign-ins, for approvers to weigh (a compromised account
 * may call for a wipe or a high-risk exit). Reads only. Empty when the log cannot be read: tenants
 * without Entra ID P1, or an app without AuditLog.Read.All, have no sign-in report to show.
 */
export async function riskySignIns(graph: GraphCalls, userId: string): Promise<string[]> {
  const filter = encodeURIComponent(`userId eq ${odataString(guidSegment(userId))}`);
  let signIns: SignIn[];
  try {
    signIns = (await graph.get<{ value: SignIn[] }>(`/auditLogs/signIns?$filter=${filter}&$top=${RECENT}`)).body.value;
  } catch {
    return [];
  }
  const risky = signIns.filter(isRisky);
  const flags = risky.slice(0, MAX_FLAGGED).map(describe);
  if (risky.length > MAX_FLAGGED) flags.push(`${risky.length - MAX_FLAGGED} more risky sign-in(s) in the last ${RECENT}.`);
  return flags;
}
