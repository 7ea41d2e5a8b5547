/**
 * PIM for Groups eligibilities (privilegedAccessGroupEligibilitySchedule): the principal may make
 * themselves a member or owner of the group whenever they like. They are not memberships, so
 * neither /members nor /memberOf shows them, and removing memberships alone leaves them.
 */

export interface SimGroupEligibility {
  /** Graph's form: {groupId}_{accessId}_{guid}. */
  id: string;
  principalId: string;
  groupId: string;
  accessId: 'member' | 'owner';
  createdDateTime: string;
  /** null for a permanent eligibility; once past, Graph no longer lists it. */
  endDateTime: string | null;
  /**
   * Graph's memberType, 'Direct' when omitted. 'Group': the principal is eligible through a group
   * it is in (that group is the eligible one), so an adminRemove naming the principal cannot remove it.
   */
  memberType?: 'Direct' | 'Group';
}

/**
 * Jane, the Sales team's go-to person for IT, may join IT Operations through PIM: the group that
 * runs offboarding and approves a Global Administrator's. Left in place, she could join it after
 * she has gone, or the moment her account is enabled again.
 */
export function janesGroupEligibilities(ids: { jane: string; itOperationsGroup: string }): SimGroupEligibility[] {
  return [
    {
      id: `${ids.itOperationsGroup}_member_4b7e2d19-8c3a-4f6e-a1d5-9e0c2b7f3a64`,
      principalId: ids.jane,
      groupId: ids.itOperationsGroup,
      accessId: 'member',
      createdDateTime: '2024-10-07T13:40:00Z',
      endDateTime: null,
    },
  ];
}
