/**
 * The live, in-memory directory of a simulated tenant. Tests read it directly to check what the
 * offboarding run changed; the Graph routes are the only writers.
 */
import { userMailbox } from './exchange/mailbox-state';
import { contosoSeed } from './seed';
import { emptyWorkplace, refreshLicences, type Workplace } from './workplace';

export interface PasswordFlags {
  forceChangePasswordNextSignIn: boolean;
  forceChangePasswordNextSignInWithMfa: boolean;
}

export interface SimUser {
  id: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  mail: string | null;
  userPrincipalName: string;
  mailNickname: string;
  jobTitle: string | null;
  department: string | null;
  officeLocation: string | null;
  mobilePhone: string | null;
  businessPhones: string[];
  preferredLanguage: string | null;
  usageLocation: string | null;
  employeeId: string | null;
  userType: 'Member' | 'Guest';
  accountEnabled: boolean;
  /** true for accounts synced from on-premises Active Directory; null for cloud-only ones. */
  onPremisesSyncEnabled: boolean | null;
  createdDateTime: string;
  signInSessionsValidFromDateTime: string;
  lastPasswordChangeDateTime: string;
  /** Never holds the password itself: Graph cannot read it back either. */
  passwordProfile: PasswordFlags;
  managerId: string | null;
  /** Sim bookkeeping, not a Graph property: how many times sessions were revoked. */
  revokeCount: number;
  /** Sim bookkeeping: skuIds assigned to the user directly (group-based ones come from groups). */
  directLicenses: string[];
  /** Derived by refreshLicences from direct and group assignments, as Graph shows them. */
  assignedLicenses: Array<{ skuId: string; disabledPlans: string[] }>;
  licenseAssignmentStates: Array<{ skuId: string; assignedByGroup: string | null; state: 'Active'; error: 'None'; disabledPlans: string[] }>;
}

export interface SimGroup {
  id: string;
  displayName: string;
  description: string | null;
  mail: string | null;
  mailNickname: string;
  mailEnabled: boolean;
  securityEnabled: boolean;
  groupTypes: string[];
  createdDateTime: string;
  /** Ids of member users or nested groups. */
  memberIds: string[];
  ownerIds: string[];
  /** Set for dynamic groups (groupTypes has 'DynamicMembership'), whose members Graph will not edit. */
  membershipRule: string | null;
  membershipRuleProcessingState: 'On' | 'Paused' | null;
  /** Group-based licensing: every member inherits these. */
  assignedLicenses: Array<{ skuId: string; disabledPlans: string[] }>;
  /**
   * true for a role-assignable group, the only kind a directory role can be assigned to; Graph
   * shows null for the others. Its members and owners are as protected as administrators.
   */
  isAssignableToRole: boolean | null;
  /** ['Team'] for a Microsoft 365 group with a team, [] otherwise, as Graph shows it. */
  resourceProvisioningOptions: string[];
}

export interface TenantState extends Workplace {
  tenantId: string;
  users: Map<string, SimUser>;
  groups: Map<string, SimGroup>;
  /** Users removed by DELETE /users/{id} (or the dangerous DELETE /groups/{g}/members/{u}). */
  deletedUsers: SimUser[];
}

export type SeedUser = Pick<SimUser, 'id' | 'displayName' | 'userPrincipalName'> &
  Partial<Omit<SimUser, 'id' | 'displayName' | 'userPrincipalName'>>;
export type SeedGroup = Pick<SimGroup, 'id' | 'displayName' | 'memberIds'> &
  Partial<Omit<SimGroup, 'id' | 'displayName' | 'memberIds'>>;

export interface TenantSeed extends Partial<Workplace> {
  tenantId: string;
  users: SeedUser[];
  groups: SeedGroup[];
}

/**
 * A whole seed, or a change to the Contoso seed (e.g. to add one more user for a test); a change
 * also gets the seeding moment, to date its own recent activity from it as the Contoso seed does.
 */
export type SeedOverride = TenantSeed | ((contoso: TenantSeed, seededAt: Date) => TenantSeed);

/** When every seeded account and group was created; also when roles assigned outside PIM began. */
export const ACCOUNTS_CREATED_AT = '2024-01-15T09:00:00Z';

function userFromSeed(seed: SeedUser): SimUser {
  const nickname = seed.userPrincipalName.split('@')[0];
  return {
    givenName: null,
    surname: null,
    mail: null,
    mailNickname: nickname,
    jobTitle: null,
    department: null,
    officeLocation: null,
    mobilePhone: null,
    businessPhones: [],
    preferredLanguage: 'en-US',
    usageLocation: 'US',
    employeeId: null,
    userType: 'Member',
    accountEnabled: true,
    onPremisesSyncEnabled: null,
    createdDateTime: ACCOUNTS_CREATED_AT,
    signInSessionsValidFromDateTime: ACCOUNTS_CREATED_AT,
    lastPasswordChangeDateTime: ACCOUNTS_CREATED_AT,
    managerId: null,
    revokeCount: 0,
    directLicenses: [],
    assignedLicenses: [],
    licenseAssignmentStates: [],
    ...structuredClone(seed),
    passwordProfile: {
      forceChangePasswordNextSignIn: false,
      forceChangePasswordNextSignInWithMfa: false,
      ...structuredClone(seed.passwordProfile ?? {}),
    },
  };
}

function groupFromSeed(seed: SeedGroup): SimGroup {
  return {
    description: null,
    mail: null,
    mailNickname: seed.displayName.replace(/[^A-Za-z0-9]/g, ''),
    mailEnabled: false,
    securityEnabled: true,
    groupTypes: [],
    createdDateTime: ACCOUNTS_CREATED_AT,
    ownerIds: [],
    membershipRule: null,
    membershipRuleProcessingState: null,
    assignedLicenses: [],
    isAssignableToRole: null,
    resourceProvisioningOptions: [],
    ...structuredClone(seed),
  };
}

/**
 * Builds a fresh tenant; each call is independent, so tests never share state. Recent activity
 * (sign-ins, audits, device syncs) is dated relative to `seededAt`, so it stays recent.
 */
export function createSimTenant(override?: SeedOverride, seededAt: Date = new Date()): TenantState {
  const seed =
    override === undefined ? contosoSeed(seededAt) : typeof override === 'function' ? override(contosoSeed(seededAt), seededAt) : override;
  const state: TenantState = {
    ...emptyWorkplace(),
    ...structuredClone(withoutDirectory(seed)),
    tenantId: seed.tenantId,
    users: new Map(seed.users.map((u) => [u.id, userFromSeed(u)])),
    groups: new Map(seed.groups.map((g) => [g.id, groupFromSeed(g)])),
    deletedUsers: [],
  };
  refreshLicences(state);
  giveMailboxes(state);
  return state;
}

/** Every user with a mail address has a mailbox, unless the seed described it already. */
function giveMailboxes(state: TenantState): void {
  for (const user of state.users.values()) {
    if (!user.mail || state.mailboxes.some((m) => m.userId === user.id)) continue;
    // Exchange's mailbox GUID differs from the Entra id; derived here so it stays stable.
    state.mailboxes.push(userMailbox(user.id, `b0a1c2d3${user.id.slice(8)}`));
  }
}

function withoutDirectory(seed: TenantSeed): Partial<Workplace> {
  const { tenantId: _tenant, users: _users, groups: _groups, ...workplace } = seed;
  return workplace;
}
