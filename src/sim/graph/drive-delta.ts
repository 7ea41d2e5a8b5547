/**
 * GET /drives/{id}/root/delta: the whole drive, parents before their contents, page by page, as
 * the first call of a delta query enumerates it (OneDrive scan guidance). The `shared` facet
 * says where sharing is: by default on every item that is shared, its own or through a folder;
 * with `Prefer: hierarchicalsharing`, only on the root and on the items that carry permissions
 * of their own (an empty facet on a root that shares nothing), so a scanner reads permissions
 * only where they live.
 */
import { rootIdOf, type SimDrive, type SimDriveItem, type SimDrivePermission } from '../drive-state';
import type { TenantState } from '../state';
import { badRequest } from './errors';
import { effectivePermissions, findDrive, ITEM_SCHEMA, itemsOf, ownPermissions, representItem, type Located } from './drive-items';
import { parseSelect, type Json } from './odata';
import { contextUrl, ok, type GraphRequest } from './request';
import type { Route } from './router';

const PAGE_SIZE = 200;

/** The root, then each folder's contents after the folder (breadth first), with each folder's child count. */
function hierarchy(drive: SimDrive): { all: Located[]; childCount: Map<string, number> } {
  const all: Located[] = [{ drive, id: rootIdOf(drive), path: '/' }];
  const byParent = new Map<string, SimDriveItem[]>();
  for (const item of itemsOf(drive)) {
    const siblings = byParent.get(item.parentId);
    if (siblings) siblings.push(item);
    else byParent.set(item.parentId, [item]);
  }
  const queue: Array<{ id: string; path: string }> = [{ id: 'root', path: '' }];
  while (queue.length > 0) {
    const folder = queue.shift()!;
    for (const item of byParent.get(folder.id) ?? []) {
      const path = `${folder.path}/${item.name}`;
      all.push({ drive, item, id: item.id, path });
      if (item.folder) queue.push({ id: item.id, path });
    }
  }
  const childCount = new Map([...byParent].map(([parent, children]) => [parent, children.length]));
  return { all, childCount };
}

/** The widest audience among the permissions, as the facet's scope names it. */
function sharedFacet(permissions: Array<Pick<SimDrivePermission, 'roles' | 'link'>>): Json | undefined {
  const shared = permissions.filter((p) => !p.roles.includes('owner'));
  if (shared.length === 0) return undefined;
  const scopes = shared.map((p) => p.link?.scope ?? 'users');
  return { scope: scopes.includes('anonymous') ? 'anonymous' : scopes.includes('organization') ? 'organization' : 'users' };
}

function withSharing(at: Located, hierarchical: boolean): Json | undefined {
  if (!hierarchical) return sharedFacet(effectivePermissions(at) as unknown as SimDrivePermission[]);
  const own = sharedFacet(ownPermissions(at));
  return own ?? (at.item ? undefined : {});
}

function delta(req: GraphRequest, state: TenantState, driveId: string) {
  const drive = findDrive(state, driveId);
  const query = req.url.searchParams;
  const select = parseSelect(query.get('$select'), ITEM_SCHEMA);
  const token = query.get('token');
  const offset = token === null ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0) throw badRequest('Invalid delta token.', 'invalidRequest');
  const hierarchical = String(req.headers.prefer ?? '').split(',').some((p) => p.trim().toLowerCase() === 'hierarchicalsharing');
  const { all, childCount } = hierarchy(drive);
  const page = all.slice(offset, offset + PAGE_SIZE).map((at) => {
    const shared = withSharing(at, hierarchical);
    const full: Json = { ...representItem(at, undefined, childCount.get(at.item ? at.item.id : 'root') ?? 0), ...(shared ? { shared } : {}) };
    return select ? Object.fromEntries(select.filter((name) => full[name] !== undefined).map((name) => [name, full[name]])) : full;
  });
  const link = (at: number) => {
    const next = new URLSearchParams(query);
    next.set('token', Buffer.from(String(at)).toString('base64url'));
    return `${req.serviceRoot}/drives/${encodeURIComponent(drive.id)}/root/delta?${[...next].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`;
  };
  const more = offset + PAGE_SIZE < all.length;
  return ok({
    '@odata.context': contextUrl(req, 'Collection(driveItem)'),
    ...(more ? { '@odata.nextLink': link(offset + PAGE_SIZE) } : { '@odata.deltaLink': link(all.length) }),
    value: page,
  });
}

export const driveDeltaRoutes: Route[] = [{ method: 'GET', pattern: 'drives/:id/root/delta', handle: (req, params, state) => delta(req, state, params.id) }];
