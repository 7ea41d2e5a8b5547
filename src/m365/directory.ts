import type { Target } from '../cases/case';
import { CoalescedReads } from './coalesced-reads';
import type { Graph } from './graph';
import { guidSegment, odataString } from './odata';
import { unlessTenantLacksPim } from './pim-licence';

/** A person as found in the directory. */
export interface DirectoryUser extends Target {
  givenName?: string;
  surname?: string;
  jobTitle?: string;
  department?: string;
  accountEnabled?: boolean;
  onPremisesSyncEnabled?: boolean;
}

interface GraphUser {
  id: string;
  displayName: string;
  givenName?: string | null;
  surname?: string | null;
  mail?: string | null;
  userPrincipalName: string;
  jobTitle?: string | null;
  department?: string | null;
  accountEnabled?: boolean;
  onPremisesSyncEnabled?: boolean | null;
  manager?: { id: string; displayName: string } | null;
}

const USER_FIELDS = 'id,displayName,givenName,surname,mail,userPrincipalName,jobTitle,department,accountEnabled,onPremisesSyncEnabled';
const MAX_MATCHES = 10;

function toDirectoryUser(u: GraphUser): DirectoryUser {
  return {
    id: u.id,
    displayName: u.displayName,
    userPrincipalName: u.userPrincipalName,
    mail: u.mail ?? undefined,
    givenName: u.givenName ?? undefined,
    surname: u.surname ?? undefined,
    jobTitle: u.jobTitle ?? undefined,
    department: u.department ?? undefined,
    accountEnabled: u.accountEnabled,
    onPremisesSyncEnabled: u.onPremisesSyncEnabled ?? undefined,
    manager: u.manager ? { id: u.manager.id, displayName: u.manager.displayName } : undefined,
  };
}

/** Directory reads used to resolve people and decide who may do what. */
export class Directory {
  /** The reads made on each decision (account status, membership), batched per turn. */
  private readonly decisionReads: CoalescedReads;

  constructor(private readonly graph: Graph) {
    this.decisionReads = new CoalescedReads(graph);
  }

  /**
   * People whose display name, given name, surname, mail or UPN starts with the typed text.
   * An exact display-name match wins over prefix matches ("Daniel Brown" among "Daniel Brownlow").
   */
  async findPeople(typed: string): Promise<DirectoryUser[]> {
    const q = odataString(typed);
    const filter = ['displayName', 'givenName', 'surname', 'mail', 'userPrincipalName']
      .map((p) => `startswith(${p},${q})`)
      .join(' or ');
    const path = `/users?$filter=${encodeURIComponent(filter)}&$select=${USER_FIELDS}&$top=${MAX_MATCHES}`;
    const res = await this.graph.get<{ value: GraphUser[] }>(path);
    const people = res.body.value.map(toDirectoryUser);
    const exact = people.filter((p) => p.displayName.toLowerCase() === typed.toLowerCase());
    return exact.length === 1 ? exact : people;
  }

  /** The user with their manager, or null when no such user exists. */
  async getUser(id: string): Promise<DirectoryUser | null> {
    const path = `/users/${guidSegment(id)}?$select=${USER_FIELDS}&$expand=${encodeURIComponent('manager($select=id,displayName)')}`;
    try {
      return toDirectoryUser((await this.graph.get<GraphUser>(path)).body);
    } catch (err) {
      if ((err as { status?: number }).status === 404) return null;
      throw err;
    }
  }

  /**
   * Whether the account may still sign in; false when it is disabled or no longer exists. One small
   * read, made on each decision, because a disabled person's Teams token keeps working for a while.
   */
  async isAccountEnabled(userId: string): Promise<boolean> {
    try {
      const res = await this.decisionReads.get<{ accountEnabled?: boolean }>(`/users/${guidSegment(userId)}?$select=accountEnabled`);
      // Fail closed: an answer without the property does not show the account enabled.
      return res.body.accountEnabled === true;
    } catch (err) {
      if ((err as { status?: number }).status === 404) return false;
      throw err;
    }
  }

  /** Object ids of the group's direct members (users). */
  async groupMemberIds(groupId: string): Promise<string[]> {
    const ids: string[] = [];
    let path: string | undefined = `/groups/${guidSegment(groupId)}/members?$select=id&$top=999`;
    while (path) {
      const res: { body: { value: { id: string }[]; '@odata.nextLink'?: string } } = await this.graph.get(path);
      ids.push(...res.body.value.map((m) => m.id));
      path = relativeNextLink(res.body['@odata.nextLink']);
    }
    return ids;
  }

  /** Whether the user is a member of the group, directly or through nested groups. */
  async isMemberOf(userId: string, groupId: string): Promise<boolean> {
    let path: string | undefined = `/users/${guidSegment(userId)}/transitiveMemberOf?$select=id&$top=999`;
    for (let page = 0; path; page++) {
      // The first page goes with the account-status read; further pages (999 groups on each) alone.
      const res: { body: { value: { id: string }[]; '@odata.nextLink'?: string } } = page === 0 ? await this.decisionReads.get(path) : await this.graph.get(path);
      if (res.body.value.some((g) => g.id.toLowerCase() === groupId.toLowerCase())) return true;
      path = relativeNextLink(res.body['@odata.nextLink']);
    }
    return false;
  }

  /**
   * Role definition ids of every directory role the user holds or can take up (for built-in roles
   * the id is the role template id): active assignments, PIM eligibilities (activated at will), PIM
   * assignments that start later, and the active and eligible roles of each role-assignable group
   * the user is in or may join through PIM for Groups (an eligible owner can add themselves as a
   * member; an assignment that starts later adds them on its own). A group eligible for Global
   * Administrator, with its members active, is Microsoft's recommended PIM for Groups set-up: each
   * member can activate the role. Decides how many approvers the offboarding needs, so a role a
   * person can activate counts as much as one they hold.
   */
  async directoryRoleIdsOf(userId: string): Promise<string[]> {
    const [active, eligible, scheduled, memberOf, eligibleFor, scheduledFor] = await Promise.all([
      this.roleIdsOf('roleAssignments', userId),
      unlessTenantLacksPim(this.roleIdsOf('roleEligibilitySchedules', userId)),
      unlessTenantLacksPim(this.roleIdsOf('roleAssignmentSchedules', userId)),
      this.roleAssignableGroupsOf(userId),
      unlessTenantLacksPim(this.roleAssignableGroupsThroughPim(userId, 'eligibilitySchedules')),
      unlessTenantLacksPim(this.roleAssignableGroupsThroughPim(userId, 'assignmentSchedules')),
    ]);
    // A tenant without PIM (no Entra ID P2) has no eligible groups either: those reads are skipped.
    const pim = eligible !== null;
    // Two reads per role-assignable group, all at once; a tenant has at most 500 such groups.
    const groupIds = distinctIds([...memberOf, ...(eligibleFor ?? []), ...(scheduledFor ?? [])]);
    const throughGroups = await Promise.all(
      groupIds.flatMap((g) => [this.roleIdsOf('roleAssignments', g), ...(pim ? [unlessTenantLacksPim(this.roleIdsOf('roleEligibilitySchedules', g))] : [])]),
    );
    return [...new Set([...active, ...(eligible ?? []), ...(scheduled ?? []), ...throughGroups.flatMap((ids) => ids ?? [])])];
  }

  /** Role definition ids of one principal's (a user's or a group's) active or eligible roles. */
  private async roleIdsOf(collection: 'roleAssignments' | 'roleEligibilitySchedules' | 'roleAssignmentSchedules', principalId: string): Promise<string[]> {
    const filter = encodeURIComponent(`principalId eq ${odataString(guidSegment(principalId))}`);
    const found = await this.allPages<{ roleDefinitionId: string }>(`/roleManagement/directory/${collection}?$filter=${filter}&$select=roleDefinitionId`);
    return found.map((r) => r.roleDefinitionId);
  }

  /** Only a role-assignable group can hold a role, active or eligible: the others' reads would come back empty. */
  private async roleAssignableGroupsOf(userId: string): Promise<string[]> {
    const groups = await this.allPages<{ id: string; isAssignableToRole?: boolean | null }>(`/users/${guidSegment(userId)}/memberOf?$select=id,isAssignableToRole`);
    return groups.filter((g) => g.isAssignableToRole === true).map((g) => g.id);
  }

  /**
   * Role-assignable groups the user may join (or own, and so join) through PIM for Groups: eligible
   * for, or assigned from a later date.
   */
  private async roleAssignableGroupsThroughPim(userId: string, schedules: 'eligibilitySchedules' | 'assignmentSchedules'): Promise<string[]> {
    const filter = encodeURIComponent(`principalId eq ${odataString(guidSegment(userId))}`);
    const found = await this.allPages<{ groupId: string; group?: { isAssignableToRole?: boolean | null } | null }>(
      `/identityGovernance/privilegedAccess/group/${schedules}?$filter=${filter}&$select=groupId&$expand=group`,
    );
    return found.filter((e) => e.group?.isAssignableToRole === true).map((e) => e.groupId);
  }

  private async allPages<T>(first: string): Promise<T[]> {
    const items: T[] = [];
    let path: string | undefined = first;
    while (path) {
      const res: { body: { value: T[]; '@odata.nextLink'?: string } } = await this.graph.get(path);
      items.push(...res.body.value);
      path = relativeNextLink(res.body['@odata.nextLink']);
    }
    return items;
  }
}

/** Each id once: Graph may spell one id in either case. */
function distinctIds(ids: string[]): string[] {
  return [...new Map(ids.map((id) => [id.toLowerCase(), id])).values()];
}

/** nextLink is absolute; graph-client wants the path after the version segment. */
function relativeNextLink(link: string | undefined): string | undefined {
  if (!link) return undefined;
  const url = new URL(link);
  return url.pathname.replace(/^\/(v1\.0|beta)/, '') + url.search;
}
