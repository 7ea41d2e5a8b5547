/**
 * OData literals for $filter. Anything typed in Teams is untrusted: a quote would otherwise end
 * the literal and let the rest of the text become filter syntax.
 */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/** Path segments for object ids: only GUIDs go into a URL path. */
export function guidSegment(value: string): string {
  if (!isGuid(value)) throw new Error(`not an object id: ${JSON.stringify(value)}`);
  return value.toLowerCase();
}
