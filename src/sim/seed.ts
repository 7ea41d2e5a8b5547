/**
 * The Contoso tenant the simulator starts with. The first six people match
 * .m365agentsplayground.yml id for id, so a Playground user is a real directory user here.
 */
import { contosoWorkplace, janesGroups, janesGuest, janesReports, WORKPLACE_IDS } from './seed-workplace';
import type { SeedUser, TenantSeed } from './state';

export const SEED_IDS = {
  tenant: '00000000-0000-0000-0000-000000000001',
  alex: '00000000-0000-0000-0000-000000000020',
  megan: '00000000-0000-0000-0000-000000000021',
  adele: '00000000-0000-0000-0000-000000000022',
  isaiah: '00000000-0000-0000-0000-000000000023',
  patti: '00000000-0000-0000-0000-000000000024',
  lynne: '00000000-0000-0000-0000-000000000025',
  jane: '00000000-0000-0000-0000-000000000030',
  // ...031 is taken by the "Contoso IT" team's group id in the Playground config.
  danielBrown: '00000000-0000-0000-0000-000000000032',
  danielGreen: '00000000-0000-0000-0000-000000000033',
  conor: '00000000-0000-0000-0000-000000000034',
  breakGlass: '00000000-0000-0000-0000-000000000035',
  securityGroup: '00000000-0000-0000-0000-000000000041',
  itOperationsGroup: '00000000-0000-0000-0000-000000000042',
  hrGroup: '00000000-0000-0000-0000-000000000043',
  allContosoGroup: '00000000-0000-0000-0000-000000000044',
  ...WORKPLACE_IDS,
} as const;

function person(
  id: string,
  givenName: string,
  surname: string,
  alias: string,
  jobTitle: string,
  department: string,
  managerId: string | null,
): SeedUser {
  const address = `${alias}@contoso.com`;
  return {
    id,
    displayName: `${givenName} ${surname}`,
    givenName,
    surname,
    userPrincipalName: address,
    mail: address,
    jobTitle,
    department,
    officeLocation: 'Redmond',
    businessPhones: ['+1 425 555 0100'],
    managerId,
  };
}

/** `seededAt`: when the tenant is seeded; Jane's recent sign-ins, audits and device syncs are dated from it. */
export function contosoSeed(seededAt: Date): TenantSeed {
  const id = SEED_IDS;
  const users: SeedUser[] = [
    person(id.alex, 'Alex', 'Wilber', 'alexw', 'IT Administrator', 'IT', id.lynne),
    person(id.megan, 'Megan', 'Bowen', 'meganb', 'Security Manager', 'Security', id.lynne),
    person(id.adele, 'Adele', 'Vance', 'adelev', 'Security Analyst', 'Security', id.lynne),
    person(id.isaiah, 'Isaiah', 'Langer', 'isaiahl', 'IT Operations Engineer', 'IT', id.alex),
    person(id.patti, 'Patti', 'Fernandez', 'pattif', 'IT Operations Lead', 'IT', id.alex),
    person(id.lynne, 'Lynne', 'Robbins', 'lynner', 'HR Director', 'HR', null),
    { ...person(id.jane, 'Jane', 'Doe', 'janed', 'Sales Associate', 'Sales', id.alex), directLicenses: [id.office365E3] },
    person(id.danielBrown, 'Daniel', 'Brown', 'danielb', 'Account Executive', 'Sales', id.alex),
    person(id.danielGreen, 'Daniel', 'Green', 'danielg', 'Accountant', 'Finance', id.lynne),
    {
      ...person(id.conor, 'Conor', "O'Brien", 'conor.obrien', 'Marketing Specialist', 'Marketing', id.alex),
      mailNickname: 'conor.obrien',
    },
    {
      // Break-glass accounts are cloud-only, unlicensed (no mailbox) and hold Global Administrator
      // (their role assignment is in contosoWorkplace).
      id: id.breakGlass,
      displayName: 'Emergency Access',
      userPrincipalName: 'breakglass@contoso.com',
    },
    ...janesReports(id.jane),
  ];
  return {
    tenantId: id.tenant,
    // Jane's guest is a directory user, but not one of Contoso's people (not in All Contoso).
    users: [...users, janesGuest(seededAt)],
    groups: [
      {
        id: id.securityGroup,
        displayName: 'Offboarding Security Approvers',
        description: 'Approve offboarding requests before anything is changed.',
        memberIds: [id.megan, id.adele],
      },
      {
        id: id.itOperationsGroup,
        displayName: 'IT Operations',
        description: 'Runs and monitors offboarding.',
        memberIds: [id.isaiah, id.patti],
      },
      { id: id.hrGroup, displayName: 'HR', description: 'Human Resources.', memberIds: [id.lynne] },
      {
        id: id.allContosoGroup,
        displayName: 'All Contoso',
        description: 'Everyone at Contoso.',
        mail: 'allcontoso@contoso.com',
        mailEnabled: true,
        securityEnabled: false,
        groupTypes: ['Unified'],
        memberIds: users.map((u) => u.id),
      },
      ...janesGroups(id),
    ],
    ...contosoWorkplace(id, seededAt),
  };
}
