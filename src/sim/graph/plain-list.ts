/** Collections outside the directory (auth methods, rules, devices, consents): a value list with $select. */
import { unknownProperty } from './errors';
import type { Json } from './odata';
import { contextUrl, ok, type GraphRequest, type GraphResponse } from './request';

export function plainList(req: GraphRequest, entitySet: string, typeName: string, items: Json[]): GraphResponse {
  const raw = req.url.searchParams.get('$select');
  const select = raw ? raw.split(',').map((s) => s.trim()) : undefined;
  const value = items.map((item) => {
    if (!select) return item;
    const picked: Json = {};
    for (const name of select) {
      if (!(name in item)) throw unknownProperty(name, typeName);
      picked[name] = item[name];
    }
    if (item['@odata.type'] !== undefined) picked['@odata.type'] = item['@odata.type'];
    return picked;
  });
  return ok({ '@odata.context': contextUrl(req, entitySet), value });
}

/** Graph ids in paths are compared case-insensitively. */
export const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
