/**
 * Which offboarding steps would fail for lack of consent, told before the first urgent exit rather
 * than during it: the permissions each step needs (required-permissions.ts) against those the
 * app's own tokens carry.
 */
import { FOLLOW_UP_LABELS, STEP_LABELS } from '../cards/wording';
import type { Logger } from '../log';
import type { AccessTokenSource } from '../m365/access-token';
import { grantedPermissions, type GrantedPermissions } from '../m365/granted-permissions';
import {
  APP_READ_LABELS,
  APP_READ_PERMISSIONS,
  EXCHANGE_PERMISSION,
  EXCHANGE_ROLE,
  FOLLOW_UP_PERMISSIONS,
  STEP_PERMISSIONS,
  type PermissionNeed,
} from './required-permissions';

export interface MissingPermissions {
  kind: 'step' | 'followUp' | 'read';
  /** The step's, follow-up's or read's name in the code. */
  step: string;
  label: string;
  /** What to grant: the least-privileged permission of each unmet need. */
  permissions: string[];
}

export type TokenCheck = { read: true } | { read: false; problem: string };

export type ExchangeReadiness = { configured: false } | ({ configured: true; role: string } & TokenCheck);

export interface Readiness {
  /** Every permission granted and every token read; directory roles cannot be checked (alsoCheck). */
  ok: boolean;
  graph: TokenCheck;
  exchange: ExchangeReadiness;
  missing: MissingPermissions[];
  /** What the app needs that no token shows: the admin checks these in Entra ID by hand. */
  alsoCheck: string[];
  checkedAt: string;
}

export interface ReadinessSources {
  graphTokens: AccessTokenSource;
  /** Absent when the app is not connected to Exchange Online: its steps are left to a person then. */
  exchangeTokens?: AccessTokenSource;
  /** Steps this set-up never runs (no block group, no account deletion): not reported. */
  notInUse?: readonly string[];
  now?: () => Date;
}

interface Entry {
  kind: MissingPermissions['kind'];
  step: string;
  label: string;
  need: PermissionNeed;
}

const ENTRIES: Entry[] = [
  ...Object.entries(STEP_PERMISSIONS).map(([step, need]) => ({ kind: 'step' as const, step, label: STEP_LABELS[step as keyof typeof STEP_LABELS], need })),
  ...Object.entries(FOLLOW_UP_PERMISSIONS).map(([step, need]) => ({ kind: 'followUp' as const, step, label: FOLLOW_UP_LABELS[step as keyof typeof FOLLOW_UP_LABELS], need })),
  ...Object.entries(APP_READ_PERMISSIONS).map(([step, need]) => ({ kind: 'read' as const, step, label: APP_READ_LABELS[step as keyof typeof APP_READ_LABELS], need })),
];

const tokenCheck = (granted: GrantedPermissions, service: string): TokenCheck =>
  'roles' in granted ? { read: true } : { read: false, problem: `Could not read the granted permissions from the ${service} token: ${granted.unreadable}.` };

export async function checkReadiness(sources: ReadinessSources): Promise<Readiness> {
  const [graph, exchange] = await Promise.all([
    grantedPermissions(sources.graphTokens),
    sources.exchangeTokens ? grantedPermissions(sources.exchangeTokens) : undefined,
  ]);
  const graphRoles = 'roles' in graph ? graph.roles : undefined;
  // Unknown is not missing: an unreadable token is reported once, not as every step failing.
  const exchangeMissing = exchange !== undefined && 'roles' in exchange && !exchange.roles.has(EXCHANGE_PERMISSION);
  const inUse = ENTRIES.filter((e) => !sources.notInUse?.includes(e.step));

  const missing = inUse.flatMap(({ kind, step, label, need }): MissingPermissions[] => {
    const permissions = [
      ...(graphRoles ? need.graph.filter((anyOf) => !anyOf.some((p) => graphRoles.has(p))).map((anyOf) => anyOf[0]) : []),
      ...(need.exchange && exchangeMissing ? [EXCHANGE_PERMISSION] : []),
    ];
    return permissions.length > 0 ? [{ kind, step, label, permissions }] : [];
  });
  const graphCheck = tokenCheck(graph, 'Microsoft Graph');
  const exchangeCheck: ExchangeReadiness = exchange ? { configured: true, role: EXCHANGE_ROLE, ...tokenCheck(exchange, 'Exchange Online') } : { configured: false };
  return {
    ok: missing.length === 0 && graphCheck.read && (!exchangeCheck.configured || exchangeCheck.read),
    graph: graphCheck,
    exchange: exchangeCheck,
    missing,
    alsoCheck: alsoCheck(inUse, !!exchange),
    checkedAt: (sources.now?.() ?? new Date()).toISOString(),
  };
}

function alsoCheck(inUse: Entry[], exchange: boolean): string[] {
  const roles = new Map<string, string[]>();
  for (const { label, need } of inUse) {
    if (need.directoryRole) roles.set(need.directoryRole, [...(roles.get(need.directoryRole) ?? []), label]);
  }
  return [
    ...[...roles].map(([role, labels]) => `Check in Entra ID that the app holds the ${role}, which no token shows: ${labels.join(', ')} need it.`),
    ...(exchange ? [`Check in Entra ID that the app holds the ${EXCHANGE_ROLE}, which no token shows: every Exchange Online step needs it besides ${EXCHANGE_PERMISSION}.`] : []),
  ];
}

/**
 * One line at start-up, so whoever deploys sees in the logs which steps would fail before anyone
 * is offboarded; the dashboard shows the same to IT.
 */
export function logReadiness(readiness: Readiness, log: Logger): void {
  const problems = [readiness.graph, readiness.exchange].flatMap((check) => ('problem' in check ? [check.problem] : []));
  if (readiness.missing.length > 0) {
    log.warn('readiness.missing_permissions', {
      steps: readiness.missing.map((m) => m.label),
      missing: readiness.missing.map(({ step, permissions }) => ({ step, permissions })),
      ...(problems.length > 0 ? { problems } : {}),
    });
  } else if (problems.length > 0) {
    log.warn('readiness.unchecked', { problems });
  } else {
    log.info('readiness.ok', { alsoCheck: readiness.alsoCheck });
  }
}
