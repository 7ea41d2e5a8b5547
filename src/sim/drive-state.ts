/** A simulated OneDrive: only what offboarding touches, the root folder's sharing permissions. */

/** Graph's permission resource, reduced to the fields the app reads. */
export interface SimDrivePermission {
  id: string;
  /** 'owner' for the drive's owner; 'read' or 'write' for people and links. */
  roles: string[];
  /** A person the item is shared with; `id` is absent for someone outside the tenant. */
  grantedToV2?: { user: { id?: string; displayName: string; email: string } };
  /** A sharing link: 'anonymous' works for anyone who has it, even outside the company. */
  link?: { scope: 'anonymous' | 'organization' | 'users'; type: 'view' | 'edit'; webUrl: string };
  /** Set when the item was shared by invitation (POST .../invite). */
  invitation?: { email: string; signInRequired: boolean };
}

export interface SimDrive {
  id: string;
  userId: string;
  webUrl: string;
  rootPermissions: SimDrivePermission[];
}
