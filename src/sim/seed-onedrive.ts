/**
 * What is in Jane's OneDrive: files shared the ways people really share them, so the sharing
 * review meets each kind once. Outside the company: a file behind a link anyone can open, a
 * folder shared with a partner's guest, and a file inside it sent by link to someone else outside.
 * Inside: a file with a link for the whole organisation and one sent by link to a colleague.
 * The rest is not shared.
 */
import type { SimDriveItem } from './drive-state';
import { daysAfter } from './seed-clock';

const SHARE_LINK = 'https://contoso-my.sharepoint.com/:x:/g/personal/janed_contoso_com';

export function janesDriveItems(ids: { alex: string }, seededAt: Date): SimDriveItem[] {
  return [
    {
      id: '01JANEPRICINGQ3XLSX000000000000001', name: 'Q3 pricing.xlsx', parentId: 'root', size: 48213,
      permissions: [
        {
          id: 'bGluazphbm9ueW1vdXMtcHJpY2luZw', roles: ['read'], shareId: 'u!aHR0cHM6Ly9jb250b3NvLW15LnNoYXJlcG9pbnQuY29tL3ByaWNpbmc',
          link: { scope: 'anonymous', type: 'view', webUrl: `${SHARE_LINK}/EpRc3Q1` }, expirationDateTime: daysAfter(seededAt, 90),
        },
      ],
    },
    {
      id: '01JANEFABRIKAMDEALFOLDER0000000002', name: 'Fabrikam deal', parentId: 'root', folder: true,
      permissions: [
        {
          id: 'aTowIy5mfG1lbWJlcnNoaXB8cGFydG5lckBmYWJyaWthbS5leGFtcGxl', roles: ['write'],
          grantedToV2: { user: { displayName: 'Pat Partner', email: 'partner@fabrikam.example' } },
          invitation: { email: 'partner@fabrikam.example', signInRequired: true },
        },
      ],
    },
    { id: '01JANECONTRACTDRAFTDOCX00000000003', name: 'Contract draft.docx', parentId: '01JANEFABRIKAMDEALFOLDER0000000002', size: 88120, permissions: [] },
    {
      id: '01JANEPROPOSALPPTX000000000000004', name: 'Proposal.pptx', parentId: '01JANEFABRIKAMDEALFOLDER0000000002', size: 2140332,
      permissions: [
        {
          id: 'bGluazp1c2Vycy1wcm9wb3NhbA', roles: ['read'], shareId: 'u!aHR0cHM6Ly9jb250b3NvLW15LnNoYXJlcG9pbnQuY29tL3Byb3Bvc2Fs',
          link: { scope: 'users', type: 'view', webUrl: `${SHARE_LINK}/EpPr0p4` },
          grantedToIdentitiesV2: [{ user: { displayName: 'lee@northwind.example', email: 'lee@northwind.example' } }],
        },
      ],
    },
    {
      id: '01JANETEAMBUDGETXLSX0000000000005', name: 'Team budget.xlsx', parentId: 'root', size: 30511,
      permissions: [
        {
          id: 'bGluazpvcmdhbml6YXRpb24tYnVkZ2V0', roles: ['write'], shareId: 'u!aHR0cHM6Ly9jb250b3NvLW15LnNoYXJlcG9pbnQuY29tL2J1ZGdldA',
          link: { scope: 'organization', type: 'edit', webUrl: `${SHARE_LINK}/EpBudg5` },
        },
      ],
    },
    {
      id: '01JANEHANDOVERCHECKLIST0000000006', name: 'Handover checklist.docx', parentId: 'root', size: 20480,
      permissions: [
        {
          id: 'bGluazp1c2Vycy1oYW5kb3Zlcg', roles: ['write'], shareId: 'u!aHR0cHM6Ly9jb250b3NvLW15LnNoYXJlcG9pbnQuY29tL2hhbmRvdmVy',
          link: { scope: 'users', type: 'edit', webUrl: `${SHARE_LINK}/EpHand6` },
          grantedToIdentitiesV2: [{ user: { id: ids.alex, displayName: 'Alex Wilber', email: 'alexw@contoso.com' } }],
        },
      ],
    },
    { id: '01JANERECEIPTSFOLDER0000000000007', name: 'Receipts', parentId: 'root', folder: true, permissions: [] },
    { id: '01JANEEXPENSES2025XLSX00000000008', name: 'Expenses 2025.xlsx', parentId: '01JANERECEIPTSFOLDER0000000000007', size: 15360, permissions: [] },
    { id: '01JANENOTESDOCX00000000000000009', name: 'Notes.docx', parentId: 'root', size: 11264, permissions: [] },
  ];
}
