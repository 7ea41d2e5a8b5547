import type { Target } from '../cases/case';
import type { Graph } from './graph';
import { guidSegment, odataString } from './odata';

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
  constructor(private readonly graph: Graph) {}

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
      const res = await this.graph.get<{ accountEnabled?: boolean }>(`/users/${guidSegment(userId)}?$select=accountEnabled`);
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
    while (path) {
      const res: { body: { value: { id: string }[]; '@odata.nextLink'?: string } } = await this.graph.get(path);
      if (res.body.value.some((g) => g.id.toLowerCase() === groupId.toLowerCase())) return true;
      path = relativeNextLink(res.body['@odata.nextLink']);
    }
    return false;
  }

  /**
   * Role definition ids of every directory role the user holds or can take up (for built-in roles
   * the id is the role template id): active assignments, PIM eligibilities (activated at will), and
   * those of the role-assignable groups the user is in or may join through PIM for Groups (an
   * eligible owner can add themselves as a member). Decides how many approvers the offboarding
   * needs, so a role a person can activate counts as much as one they hold.
   */
  async directoryRoleIdsOf(userId: string): Promise<string[]> {
    const byPrincipal = (collection: string, principalId: string) =>
      this.allPages<{ roleDefinitionId: string }>(`/roleManagement/directory/${collection}?$filter=${encodeURIComponent(`principalId eq ${odataString(principalId)}`)}&$select=roleDefinitionId`);
    const roleGroups = async () =>
      (await this.allPages<{ '@odata.type'?: string; id: string; isAssignableToRole?: boolean | null }>(`/users/${guidSegment(userId)}/memberOf?$select=id,isAssignableToRole`)).filter(
        (g) => g.isAssignableToRole === true,
      );
    // Only a role-assignable group can hold a role, so the others' role reads come back empty.
    const pimGroups = async () =>
      (await this.allPages<{ groupId: string }>(`/identityGovernance/privilegedAccess/group/eligibilitySchedules?$filter=${encodeURIComponent(`principalId eq ${odataString(userId)}`)}&$select=groupId`)).map((e) => ({ id: e.groupId }));
    const [active, eligible, groups, eligibleGroups] = await Promise.all([byPrincipal('roleAssignments', userId), byPrincipal('roleEligibilitySchedules', userId), roleGroups(), pimGroups()]);
    const throughGroups = (await Promise.all([...groups, ...eligibleGroups].map((g) => byPrincipal('roleAssignments', g.id)))).flat();
    return [...new Set([...active, ...eligible, ...throughGroups].map((a) => a.roleDefinitionId))];
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

/** nextLink is absolute; graph-client wants the path after the version segment. */
function relativeNextLink(link: string | undefined): string | undefined {
  if (!link) return undefined;
  const url = new URL(link);
  return url.pathname.replace(/^\/(v1\.0|beta)/, '') + url.search;
}
