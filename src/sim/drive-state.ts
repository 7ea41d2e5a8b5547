/**
 * A simulated OneDrive: only what offboarding touches, its files and folders and their sharing
 * permissions. What an item inherits from its folders is worked out when it is read, as in
 * SharePoint, where a permission lives on the item it was granted on.
 */

/** Someone a permission names; `id` is absent for a person outside the tenant. */
export interface SimIdentity {
  id?: string;
  displayName: string;
  email: string;
}

/** Graph's permission resource, reduced to the fields the app reads. */
export interface SimDrivePermission {
  id: string;
  /** 'owner' for the drive's owner; 'read' or 'write' for people and links. */
  roles: string[];
  /** A person the item is shared with directly. */
  grantedToV2?: { user: SimIdentity };
  /** For a link with scope 'users': the people it was sent to. */
  grantedToIdentitiesV2?: Array<{ user: SimIdentity }>;
  /**
   * A sharing link: 'anonymous' works for anyone who has it, even outside the company;
   * 'organization' for anyone signed in to the tenant; 'users' only for the people named.
   */
  link?: { scope: 'anonymous' | 'organization' | 'users'; type: 'view' | 'edit'; webUrl: string };
  /** Links carry a share id (used by /shares/{id}). */
  shareId?: string;
  /** When a link or invitation stops working; absent means never. */
  expirationDateTime?: string;
  /** Set when the item was shared by invitation (POST .../invite). */
  invitation?: { email: string; signInRequired: boolean };
}

/** A file or folder of the drive; the root folder itself is not one of these. */
export interface SimDriveItem {
  id: string;
  name: string;
  /** The id of the folder it is in, or 'root' for the top of the drive. */
  parentId: string;
  /** Folders hold other items; everything else is a file. */
  folder?: boolean;
  size?: number;
  lastModifiedDateTime?: string;
  /** Sharing granted on this item itself; what it inherits comes from its folders. */
  permissions: SimDrivePermission[];
}

export interface SimDrive {
  id: string;
  userId: string;
  webUrl: string;
  /** The root folder's item id; a stable one is derived from the drive id when absent. */
  rootId?: string;
  /** The root folder's sharing (the owner, and whatever was shared on the whole drive). */
  rootPermissions: SimDrivePermission[];
  /** Files and folders; absent means an empty drive. */
  items?: SimDriveItem[];
}

/** Real root ids are opaque strings such as 01BYE5RZ56Y2GOVW7725BZO354PWSELRRZ. */
export function rootIdOf(drive: SimDrive): string {
  return drive.rootId ?? `01${drive.id.replace(/[^A-Za-z0-9]/g, '').slice(-24).toUpperCase()}ROOT`;
}
