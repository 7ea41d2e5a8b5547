/**
 * OneDrive files and folders: the root, an item, a folder's children (paged), an item's effective
 * sharing permissions (its own and those inherited from its folders), and removing a permission.
 */
import { rootIdOf, type SimDrive, type SimDriveItem, type SimDrivePermission } from '../drive-state';
import type { TenantState } from '../state';
import { GraphHttpError } from './errors';
import type { EntitySchema } from './odata-filter';
import { listCollection, parseSelect, type Json } from './odata';
import { plainList, sameId } from './plain-list';
import { contextUrl, noContent, ok, type GraphRequest } from './request';
import type { Route } from './router';

export const ITEM_SCHEMA: EntitySchema = {
  typeName: 'microsoft.graph.driveItem',
  resourceName: 'driveItem',
  properties: ['id', 'name', 'webUrl', 'size', 'lastModifiedDateTime', 'parentReference', 'folder', 'file', 'root', 'shared'],
  filterable: [],
};

/** The root folder, or a file or folder; `item` is undefined for the root. */
export interface Located {
  drive: SimDrive;
  item?: SimDriveItem;
  id: string;
  /** '/' for the root, '/Folder/file.docx' below it. */
  path: string;
}

const notFound = () => new GraphHttpError(404, 'itemNotFound', 'The resource could not be found.');

export function findDrive(state: TenantState, id: string): SimDrive {
  const drive = state.drives.find((d) => sameId(d.id, id));
  if (!drive) throw notFound();
  return drive;
}

export const itemsOf = (drive: SimDrive) => drive.items ?? [];

export function pathOf(drive: SimDrive, item: SimDriveItem): string {
  const parent = itemsOf(drive).find((i) => i.id === item.parentId);
  return `${parent ? pathOf(drive, parent) : ''}/${item.name}`;
}

function locate(drive: SimDrive, id: string): Located {
  if (id.toLowerCase() === 'root' || sameId(id, rootIdOf(drive))) return { drive, id: rootIdOf(drive), path: '/' };
  const item = itemsOf(drive).find((i) => sameId(i.id, id));
  if (!item) throw notFound();
  return { drive, item, id: item.id, path: pathOf(drive, item) };
}

/** The folders above an item, nearest last, starting with the root. */
function ancestors(at: Located): Located[] {
  const chain: Located[] = [];
  let parentId = at.item?.parentId;
  while (parentId !== undefined) {
    const parent = locate(at.drive, parentId);
    chain.unshift(parent);
    parentId = parent.item?.parentId;
  }
  return chain;
}

export const ownPermissions = (at: Located) => (at.item ? at.item.permissions : at.drive.rootPermissions);

/** Graph's itemReference path: '/drive/root:' then the folder path. */
const referencePath = (path: string) => `/drive/root:${path === '/' ? '' : path}`;

/** `childCount` may be given by a caller that counted every folder's children at once. */
export function representItem(at: Located, select: string[] | undefined, childCount?: number): Json {
  const { drive, item } = at;
  const children = childCount ?? itemsOf(drive).filter((i) => i.parentId === (item ? item.id : 'root')).length;
  const full: Json = item
    ? {
        id: item.id,
        name: item.name,
        webUrl: `${drive.webUrl}${at.path.split('/').map(encodeURIComponent).join('/')}`,
        size: item.size ?? 0,
        lastModifiedDateTime: item.lastModifiedDateTime ?? '2025-01-01T00:00:00Z',
        parentReference: { driveId: drive.id, driveType: 'business', id: item.parentId === 'root' ? rootIdOf(drive) : item.parentId, path: referencePath(at.path.slice(0, at.path.lastIndexOf('/')) || '/') },
        ...(item.folder ? { folder: { childCount: children } } : { file: { mimeType: 'application/octet-stream' } }),
      }
    : { id: at.id, name: 'root', webUrl: drive.webUrl, size: 0, parentReference: { driveId: drive.id, driveType: 'business' }, folder: { childCount: children }, root: {} };
  if (!select) return full;
  // A facet the item lacks (folder on a file) is left out, as Graph does, rather than null.
  return Object.fromEntries(select.filter((name) => full[name] !== undefined).map((name) => [name, full[name]]));
}

function representPermission(permission: SimDrivePermission, from?: Located): Json {
  const inheritedFrom = from ? { inheritedFrom: { driveId: from.drive.id, id: from.id, path: referencePath(from.path) } } : {};
  return { ...(permission as unknown as Json), ...inheritedFrom };
}

/** What the item carries itself, then what each folder above it passes down. */
export function effectivePermissions(at: Located): Json[] {
  const inherited = ancestors(at).flatMap((folder) => ownPermissions(folder).map((p) => representPermission(p, folder)));
  return [...ownPermissions(at).map((p) => representPermission(p)), ...inherited];
}

function listChildren(req: GraphRequest, state: TenantState, driveId: string, itemId: string) {
  const at = locate(findDrive(state, driveId), itemId);
  const children = itemsOf(at.drive).filter((i) => i.parentId === (at.item ? at.item.id : 'root'));
  return listCollection(req, children, {
    schema: ITEM_SCHEMA,
    entitySet: `drives('${at.drive.id}')/items('${at.id}')/children`,
    represent: (item, select) => representItem({ drive: at.drive, item, id: item.id, path: pathOf(at.drive, item) }, select),
  });
}

function getItem(req: GraphRequest, state: TenantState, driveId: string, itemId: string) {
  const at = locate(findDrive(state, driveId), itemId);
  const select = parseSelect(req.url.searchParams.get('$select'), ITEM_SCHEMA);
  return ok({ '@odata.context': contextUrl(req, `drives('${at.drive.id}')/items/$entity`), ...representItem(at, select) });
}

function listPermissions(req: GraphRequest, state: TenantState, driveId: string, itemId: string) {
  const at = locate(findDrive(state, driveId), itemId);
  return plainList(req, `drives('${at.drive.id}')/items('${at.id}')/permissions`, 'microsoft.graph.permission', effectivePermissions(at));
}

/**
 * Only a permission granted on the item itself can be deleted ("the inheritedFrom property must
 * be null", permission-delete docs). The error for trying an inherited one is not documented:
 * the 400 invalidRequest below is a guess in Graph's usual shape.
 */
function deletePermission(state: TenantState, params: Record<string, string>) {
  const at = locate(findDrive(state, params.id), params.item);
  const own = ownPermissions(at);
  const index = own.findIndex((p) => sameId(p.id, params.permission));
  if (index < 0) {
    if (ancestors(at).some((folder) => ownPermissions(folder).some((p) => sameId(p.id, params.permission)))) {
      throw new GraphHttpError(400, 'invalidRequest', 'Cannot delete an inherited permission. Remove it from the item it is inherited from.');
    }
    throw notFound();
  }
  // Guessed as well: SharePoint does not let the owner lose access to their own drive.
  if (own[index].roles.includes('owner')) throw new GraphHttpError(403, 'accessDenied', "The owner's permission cannot be removed.");
  own.splice(index, 1);
  return noContent();
}

export const driveItemRoutes: Route[] = [
  { method: 'GET', pattern: 'drives/:id/root', handle: (req, params, state) => getItem(req, state, params.id, 'root') },
  { method: 'GET', pattern: 'drives/:id/items/:item', handle: (req, params, state) => getItem(req, state, params.id, params.item) },
  { method: 'GET', pattern: 'drives/:id/root/children', handle: (req, params, state) => listChildren(req, state, params.id, 'root') },
  { method: 'GET', pattern: 'drives/:id/items/:item/children', handle: (req, params, state) => listChildren(req, state, params.id, params.item) },
  { method: 'GET', pattern: 'drives/:id/root/permissions', handle: (req, params, state) => listPermissions(req, state, params.id, 'root') },
  { method: 'GET', pattern: 'drives/:id/items/:item/permissions', handle: (req, params, state) => listPermissions(req, state, params.id, params.item) },
  { method: 'DELETE', pattern: 'drives/:id/items/:item/permissions/:permission', handle: (_req, params, state) => deletePermission(state, params) },
];
