/**
 * Which offboarding steps would fail for lack of consent or of a directory role, told before the
 * first urgent exit rather than during it: what each step needs (required-permissions.ts) against
 * the permissions the app's own tokens carry and the roles assigned to the app in the directory.
 */
import { FOLLOW_UP_LABELS, STEP_LABELS } from '../cards/wording';
import type { Logger } from '../log';
import type { AccessTokenSource } from '../m365/access-token';
import type { AppDirectoryRoles } from '../m365/app-directory-roles';
import { grantedPermissions, type GrantedPermissions } from '../m365/granted-permissions';
import {
  APP_READ_LABELS,
  APP_READ_PERMISSIONS,
  DIRECTORY_ROLE_IDS,
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
  /** Directory roles to assign to the app, when it lacks one the step needs; absent when none. */
  roles?: string[];
}

export type TokenCheck = { read: true } | { read: false; problem: string };

export type ExchangeReadiness = { configured: false } | ({ configured: true; role: string } & TokenCheck);

export interface Readiness {
  /** Every permission granted, every token read, and no directory role known to be missing. */
  ok: boolean;
  graph: TokenCheck;
  exchange: ExchangeReadiness;
  missing: MissingPermissions[];
  /** What could not be checked (the app's directory roles, when they could not be read): the admin checks these in Entra ID by hand. */
  alsoCheck: string[];
  checkedAt: string;
}

export interface ReadinessSources {
  graphTokens: AccessTokenSource;
  /** Absent when the app is not connected to Exchange Online: its steps are left to a person then. */
  exchangeTokens?: AccessTokenSource;
  /** Steps this set-up never runs (no block group, no account deletion): not reported. */
  notInUse?: readonly string[];
  /** The directory roles assigned to the app with this application (client) id; unread without it. */
  readAppRoles?: (appId: string) => Promise<AppDirectoryRoles>;
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
  const appRoles = await readAppRoles(graph, sources);
  // Unknown is not missing here either: unread roles are left to the admin (alsoCheck).
  const lacks = (role: string) => 'roleIds' in appRoles && !DIRECTORY_ROLE_IDS[role].some((id) => appRoles.roleIds.has(id));

  const missing = inUse.flatMap(({ kind, step, label, need }): MissingPermissions[] => {
    const permissions = [
      ...(graphRoles ? need.graph.filter((anyOf) => !anyOf.some((p) => graphRoles.has(p))).map((anyOf) => anyOf[0]) : []),
      ...(need.exchange && exchangeMissing ? [EXCHANGE_PERMISSION] : []),
    ];
    const roles = [
      ...(need.directoryRole && lacks(need.directoryRole) ? [need.directoryRole] : []),
      ...(need.exchange && exchange !== undefined && lacks(EXCHANGE_ROLE) ? [EXCHANGE_ROLE] : []),
    ];
    if (permissions.length === 0 && roles.length === 0) return [];
    return [{ kind, step, label, permissions, ...(roles.length > 0 ? { roles } : {}) }];
  });
  const graphCheck = tokenCheck(graph, 'Microsoft Graph');
  const exchangeCheck: ExchangeReadiness = exchange ? { configured: true, role: EXCHANGE_ROLE, ...tokenCheck(exchange, 'Exchange Online') } : { configured: false };
  return {
    ok: missing.length === 0 && graphCheck.read && (!exchangeCheck.configured || exchangeCheck.read),
    graph: graphCheck,
    exchange: exchangeCheck,
    missing,
    alsoCheck: 'unreadable' in appRoles ? alsoCheck(inUse, !!exchange, appRoles.unreadable) : [],
    checkedAt: (sources.now?.() ?? new Date()).toISOString(),
  };
}

/** The app's directory roles, read from its role assignments; the app is named by its Graph token. */
async function readAppRoles(graph: GrantedPermissions, sources: ReadinessSources): Promise<AppDirectoryRoles> {
  if (!sources.readAppRoles) return { unreadable: 'not checked' };
  if (!('roles' in graph)) return { unreadable: 'the Graph token could not be read' };
  if (!graph.appId) return { unreadable: 'the Graph token does not name the app (no appid claim)' };
  return sources.readAppRoles(graph.appId);
}

function alsoCheck(inUse: Entry[], exchange: boolean, why: string): string[] {
  const roles = new Map<string, string[]>();
  for (const { label, need } of inUse) {
    if (need.directoryRole) roles.set(need.directoryRole, [...(roles.get(need.directoryRole) ?? []), label]);
  }
  return [
    `The app's directory roles could not be read (${why}); no token shows them.`,
    ...[...roles].map(([role, labels]) => `Check in Entra ID that the app holds the ${role}: ${labels.join(', ')} need it.`),
    ...(exchange ? [`Check in Entra ID that the app holds the ${EXCHANGE_ROLE}: every Exchange Online step needs it besides ${EXCHANGE_PERMISSION}.`] : []),
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
      missing: readiness.missing.map(({ step, permissions, roles }) => ({ step, permissions, ...(roles ? { roles } : {}) })),
      ...(problems.length > 0 ? { problems } : {}),
    });
  } else if (problems.length > 0) {
    log.warn('readiness.unchecked', { problems });
  } else {
    log.info('readiness.ok', { alsoCheck: readiness.alsoCheck });
  }
}
