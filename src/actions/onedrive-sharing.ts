/**
 * What a user's OneDrive shares outside the company, read from Graph: every file and folder
 * (children, folder by folder, page by page) and the sharing permissions of each. Graph offers no
 * cheaper way: permissions cannot be $expand-ed on a listing, and /sharedWithMe is what others
 * shared with the user, not what the user shared.
 *
 * Outside the company means a link anyone can open, or a link or grant naming an address whose
 * domain is not one of the tenant's verified domains (GET /organization). Links for the whole
 * organization and colleagues are inside.
 */
import { M365Error } from '../m365/m365-error';
import { guidSegment } from '../m365/odata';
import { keepingReadIds, readAll } from './graph-pages';
import type { GraphCalls } from './offboarding-action';
import type { EvidenceSection } from './take-evidence';

interface Identity {
  id?: string;
  displayName?: string;
  email?: string;
}

interface IdentitySet {
  user?: Identity;
  siteUser?: Identity;
}

/** Graph's permission resource, the fields read here. */
interface DrivePermission {
  id: string;
  roles?: string[];
  link?: { type?: string; scope?: string; webUrl?: string };
  grantedToV2?: IdentitySet;
  grantedToIdentitiesV2?: IdentitySet[];
  invitation?: { email?: string };
  inheritedFrom?: { id?: string; path?: string };
  expirationDateTime?: string;
}

interface DriveItemRef {
  id: string;
  name: string;
  folder?: unknown;
}

export interface Drive {
  id: string;
  webUrl: string;
}

export interface ExternalShare {
  /** The file or folder the permission was granted on, where it can be removed. */
  itemId: string;
  /** '/' is the whole OneDrive; '/Folder/file.docx' below it. */
  path: string;
  permissionId: string;
  /** A link anyone can open, a link sent to people outside, or access given to them directly. */
  kind: 'anyone-link' | 'people-link' | 'direct';
  /** The link's scope; null for access given directly. */
  scope: 'anonymous' | 'users' | null;
  roles: string[];
  /** 'anyone' for a link that needs no sign-in, otherwise the addresses outside the company. */
  who: string[];
  expires: string | null;
  /** Files and folders inside that have the same access through this one, and lose it with it. */
  inheritedBy: number;
  /** In words, for the plan, the cards and the report. */
  displayName: string;
}

/** Graph reads per OneDrive: above this the step leaves the review to a person. */
export const MAX_ITEMS = 5000;

export type SharingScan =
  | { drive: null }
  | { drive: Drive; tooMany: true }
  | { drive: Drive; tooMany: false; verifiedDomains: string[]; itemsScanned: number; shares: ExternalShare[] };

export async function readDrive(graph: GraphCalls, userId: string): Promise<Drive | null> {
  try {
    return (await graph.get<Drive>(`/users/${guidSegment(userId)}/drive?$select=id,webUrl`)).body;
  } catch (err) {
    // Graph answers 404 for a OneDrive that was never provisioned.
    if (err instanceof M365Error && err.status === 404) return null;
    throw err;
  }
}

async function verifiedDomains(graph: GraphCalls): Promise<string[]> {
  const orgs = await readAll<{ verifiedDomains?: Array<{ name: string }> }>(graph, '/organization?$select=verifiedDomains');
  return orgs.flatMap((o) => o.verifiedDomains ?? []).map((d) => d.name.toLowerCase());
}

const addressOf = (s: IdentitySet | undefined) => s?.user?.email ?? s?.siteUser?.email;

/** 'anyone', the addresses outside the company, or [] when the permission stays inside. */
function outsiders(p: DrivePermission, domains: string[]): string[] {
  if (p.roles?.includes('owner')) return [];
  if (p.link?.scope === 'anonymous') return ['anyone'];
  if (p.link?.scope === 'organization') return [];
  const people = p.link ? (p.grantedToIdentitiesV2 ?? []) : [p.grantedToV2];
  const addresses = [...people.map(addressOf), p.invitation?.email].filter((a): a is string => !!a && a.includes('@'));
  const outside = addresses.map((a) => a.toLowerCase()).filter((a) => !domains.includes(a.slice(a.lastIndexOf('@') + 1)));
  return [...new Set(outside)];
}

const itemPath = (driveId: string, itemId: string) => `/drives/${encodeURIComponent(driveId)}/items/${encodeURIComponent(itemId)}`;
const joinPath = (folder: string, name: string) => (folder === '/' ? `/${name}` : `${folder}/${name}`);
/** itemReference.path is '/drive/root:' followed by the folder's path. */
const fromReference = (path: string | undefined) => path?.replace(/^\/drive(s\/[^/]+)?\/root:/, '') || '/';

/** A quote cannot occur in a OneDrive name, so a quoted path reads unambiguously (the plan preview relies on it). */
export const placeOf = (path: string) => (path === '/' ? 'the whole OneDrive' : `"${path}"`);

function describe(s: Omit<ExternalShare, 'displayName'>, linkType: string | undefined): string {
  const edits = s.roles.some((r) => r === 'write' || r === 'owner');
  const until = s.expires ? ` until ${s.expires.slice(0, 10)}` : '';
  const what =
    s.kind === 'anyone-link'
      ? `anyone with the link can ${linkType === 'edit' ? 'edit' : 'view'}${until}`
      : s.kind === 'people-link'
        ? `link for ${s.who.join(', ')} (${linkType ?? (edits ? 'edit' : 'view')})${until}`
        : `${s.who.join(', ')} can ${edits ? 'edit' : 'view'}${until}`;
  // Everything is inside the root: counting it there says nothing.
  const inside = s.inheritedBy > 0 && s.path !== '/' ? `, and ${s.inheritedBy} item(s) inside` : '';
  return `${placeOf(s.path)}: ${what}${inside}`;
}

/**
 * Every sharing permission that reaches outside the company, once, on the item it was granted on:
 * an item inside a shared folder shows the folder's permission as inherited, counted in
 * `inheritedBy` of the folder's entry rather than listed again.
 */
export async function scanSharing(graph: GraphCalls, userId: string): Promise<SharingScan> {
  const drive = await readDrive(graph, userId);
  if (!drive) return { drive: null };
  const domains = await verifiedDomains(graph);
  const root = (await graph.get<{ id: string }>(`/drives/${encodeURIComponent(drive.id)}/root?$select=id`)).body;
  const queue: Array<{ id: string; path: string; folder: boolean }> = [{ id: root.id, path: '/', folder: true }];
  const pathById = new Map<string, string>();
  const found = new Map<string, { share: Omit<ExternalShare, 'displayName'>; linkType?: string }>();
  for (let i = 0; i < queue.length; i++) {
    const item = queue[i];
    pathById.set(item.id, item.path);
    for (const p of await readAll<DrivePermission>(graph, `${itemPath(drive.id, item.id)}/permissions`)) {
      const who = outsiders(p, domains);
      if (who.length === 0) continue;
      const sourceId = p.inheritedFrom?.id ?? item.id;
      const key = `${sourceId}|${p.id}`;
      const known = found.get(key);
      if (known) {
        if (p.inheritedFrom) known.share.inheritedBy++;
        continue;
      }
      const kind: ExternalShare['kind'] = p.link?.scope === 'anonymous' ? 'anyone-link' : p.link ? 'people-link' : 'direct';
      const share: Omit<ExternalShare, 'displayName'> = {
        itemId: sourceId,
        path: p.inheritedFrom ? (pathById.get(sourceId) ?? fromReference(p.inheritedFrom.path)) : item.path,
        permissionId: p.id,
        kind,
        scope: p.link?.scope === 'anonymous' || p.link?.scope === 'users' ? p.link.scope : null,
        roles: p.roles ?? [],
        who,
        expires: p.expirationDateTime ?? null,
        inheritedBy: p.inheritedFrom ? 1 : 0,
      };
      found.set(key, { share, linkType: p.link?.type });
    }
    if (!item.folder) continue;
    const children = await readAll<DriveItemRef>(graph, `${itemPath(drive.id, item.id)}/children?$select=id,name,folder&$top=200`);
    queue.push(...children.map((c) => ({ id: c.id, path: joinPath(item.path, c.name), folder: c.folder !== undefined && c.folder !== null })));
    if (queue.length - 1 > MAX_ITEMS) return { drive, tooMany: true };
  }
  const shares = [...found.values()].map(({ share, linkType }) => ({ ...share, displayName: describe(share, linkType) }));
  return { drive, tooMany: false, verifiedDomains: domains, itemsScanned: queue.length - 1, shares };
}

/**
 * The evidence section: the external shares before anything changes. A user without a OneDrive
 * is a fact worth recording, not a failed read.
 */
export async function oneDriveSharingSection(graph: GraphCalls, userId: string): Promise<EvidenceSection> {
  const { graph: keeping, requestId } = keepingReadIds(graph);
  const path = `/users/${guidSegment(userId)}/drive`;
  try {
    const scan = await scanSharing(keeping, userId);
    if (!scan.drive) return { path, requestId: requestId(), value: { drive: null, note: 'no OneDrive: it was never provisioned' } };
    if (scan.tooMany) return { path, requestId: requestId(), value: { drive: scan.drive, note: `more than ${MAX_ITEMS} files and folders: sharing not read item by item` } };
    const externalShares = scan.shares.map(({ displayName: _words, ...share }) => share);
    return { path, requestId: requestId(), value: { drive: scan.drive, verifiedDomains: scan.verifiedDomains, itemsScanned: scan.itemsScanned, externalShares } };
  } catch (err) {
    if (err instanceof M365Error) {
      // A 404 on the drive itself is handled above; this one came later, e.g. an item just deleted.
      return { path, requestId: err.requestId ?? requestId(), error: { status: err.status, code: err.code, message: err.message } };
    }
    return { path, requestId: requestId(), error: { status: 0, code: 'Unexpected', message: (err as Error).message } };
  }
}
