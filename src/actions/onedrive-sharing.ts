/**
 * What a user's OneDrive shares outside the company, read from Graph as Microsoft's scan guidance
 * says: the whole drive through a delta query with `Prefer: hierarchicalsharing`, which marks the
 * items that carry permissions of their own, then the permissions of those items only.
 * (Permissions cannot be $expand-ed on a listing, and /sharedWithMe is what others shared with the
 * user, not what the user shared.)
 *
 * Outside the company means a link anyone can open, or a link or grant naming an address whose
 * domain is not one of the tenant's verified domains (GET /organization). Links for the whole
 * organization and colleagues are inside.
 */
import { M365Error } from '../m365/m365-error';
import { guidSegment } from '../m365/odata';
import { afterVersion, keepingReadIds, readAll } from './graph-pages';
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

/**
 * Graph reads per OneDrive (pages of the listing, then one permission list per item shared on its
 * own): above this the step leaves the review to a person.
 */
export const MAX_READS = 5000;

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

/** An item as the drive's delta lists it; `shared` marks where permissions of its own live. */
interface DeltaItem {
  id: string;
  name?: string;
  parentReference?: { id?: string };
  folder?: unknown;
  root?: unknown;
  shared?: unknown;
}

interface DeltaPage {
  value: DeltaItem[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

/** The drive's files and folders, from the first round of a delta query; undefined past the read budget. */
async function listDrive(graph: GraphCalls, driveId: string): Promise<{ items: Map<string, DeltaItem>; rootId: string; reads: number } | undefined> {
  const items = new Map<string, DeltaItem>();
  let rootId = '';
  let reads = 0;
  let next: string | undefined = `/drives/${encodeURIComponent(driveId)}/root/delta?$select=id,name,parentReference,folder,root,shared`;
  while (next) {
    if (++reads > MAX_READS) return undefined;
    // Sharing shown only where a permission hierarchy starts (scan guidance): on every page.
    const page: DeltaPage = (await graph.get<DeltaPage>(next, { Prefer: 'hierarchicalsharing' })).body;
    for (const item of page.value) {
      if (item.root !== undefined && item.root !== null) rootId = item.id;
      items.set(item.id, item);
    }
    next = page['@odata.nextLink'] ? afterVersion(page['@odata.nextLink']) : undefined;
  }
  return { items, rootId, reads };
}

/**
 * Every sharing permission that reaches outside the company, once, on the item it was granted on.
 * The drive is listed with a delta query (200 items a read); only the root and the items that
 * carry permissions of their own (the `shared` facet, with `Prefer: hierarchicalsharing`) have
 * their permissions read. Everything inside a shared folder has the folder's access: counted in
 * `inheritedBy` of the folder's entry rather than listed again.
 */
export async function scanSharing(graph: GraphCalls, userId: string): Promise<SharingScan> {
  const drive = await readDrive(graph, userId);
  if (!drive) return { drive: null };
  const domains = await verifiedDomains(graph);
  const listed = await listDrive(graph, drive.id);
  if (!listed) return { drive, tooMany: true };
  const { items, rootId } = listed;
  const own = [...items.values()].filter((i) => i.id === rootId || (i.shared !== undefined && i.shared !== null));
  if (listed.reads + own.length > MAX_READS) return { drive, tooMany: true };

  const pathOf = (id: string): string => {
    const item = items.get(id);
    if (!item || id === rootId) return '/';
    return joinPath(pathOf(item.parentReference?.id ?? rootId), item.name ?? id);
  };
  const children = new Map<string, string[]>();
  for (const item of items.values()) {
    const parent = item.parentReference?.id;
    if (!parent || item.id === rootId) continue;
    const siblings = children.get(parent);
    if (siblings) siblings.push(item.id);
    else children.set(parent, [item.id]);
  }
  const inside = (id: string): number => (children.get(id) ?? []).reduce((n, child) => n + 1 + inside(child), 0);

  const found = new Map<string, { share: Omit<ExternalShare, 'displayName'>; linkType?: string }>();
  for (const item of own) {
    for (const p of await readAll<DrivePermission>(graph, `${itemPath(drive.id, item.id)}/permissions`)) {
      const who = outsiders(p, domains);
      if (who.length === 0) continue;
      // An inherited permission is recorded where it was granted, whether or not that item was read.
      const sourceId = p.inheritedFrom?.id ?? item.id;
      const key = `${sourceId}|${p.id}`;
      if (found.has(key)) continue;
      const kind: ExternalShare['kind'] = p.link?.scope === 'anonymous' ? 'anyone-link' : p.link ? 'people-link' : 'direct';
      const share: Omit<ExternalShare, 'displayName'> = {
        itemId: sourceId,
        path: items.has(sourceId) ? pathOf(sourceId) : fromReference(p.inheritedFrom?.path),
        permissionId: p.id,
        kind,
        scope: p.link?.scope === 'anonymous' || p.link?.scope === 'users' ? p.link.scope : null,
        roles: p.roles ?? [],
        who,
        expires: p.expirationDateTime ?? null,
        inheritedBy: inside(sourceId),
      };
      found.set(key, { share, linkType: p.link?.type });
    }
  }
  const shares = [...found.values()].map(({ share, linkType }) => ({ ...share, displayName: describe(share, linkType) }));
  return { drive, tooMany: false, verifiedDomains: domains, itemsScanned: items.size - 1, shares };
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
    if (scan.tooMany) return { path, requestId: requestId(), value: { drive: scan.drive, note: `reading its sharing takes more than ${MAX_READS} Graph reads: not read` } };
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
