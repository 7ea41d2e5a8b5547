/**
 * Which Microsoft 365 service answers a Graph path, because each service throttles on its own:
 * a mailbox rule counts against Outlook, a device wipe against Intune, a drive invite against
 * SharePoint, and the rest of the user and group calls against the directory. The engine paces
 * its calls per service by it; the simulated tenant throttles by it.
 */

export type Service = 'directory' | 'reports' | 'outlook' | 'intune' | 'sharePoint' | 'unmetered';

const OUTLOOK_UNDER_USER = ['mailfolders', 'messages', 'mailboxsettings'];
const SHAREPOINT_UNDER_OWNER = ['drive', 'drives'];

/** The segment right under a user (users/{id}/x or me/x), lower-cased. */
function underUser(segments: string[]): string | undefined {
  const [first, , third] = segments.map((s) => s.toLowerCase());
  if (first === 'users') return third;
  if (first === 'me') return segments[1]?.toLowerCase();
  return undefined;
}

export function serviceOf(segments: string[]): Service {
  const first = segments[0]?.toLowerCase() ?? '';
  const child = underUser(segments);
  if (first === 'auditlogs') return 'reports';
  if (first === 'devicemanagement' || child === 'manageddevices') return 'intune';
  if (first === 'drives' || first === 'sites' || SHAREPOINT_UNDER_OWNER.includes(child ?? '')) return 'sharePoint';
  if (first === 'groups' && SHAREPOINT_UNDER_OWNER.includes(segments[2]?.toLowerCase() ?? '')) return 'sharePoint';
  if (OUTLOOK_UNDER_USER.includes(child ?? '')) return 'outlook';
  // Identity protection has its own limit (1 call/s, no Retry-After), not modelled here.
  if (first === 'identityprotection') return 'unmetered';
  return 'directory';
}

/** The mailbox an Outlook path addresses: the user id or UPN after /users, as written. */
export function mailboxOf(segments: string[]): string {
  return segments[0]?.toLowerCase() === 'me' ? 'me' : (segments[1] ?? '');
}

/** The same for a path as the app writes it: `/users/{id}/drive?$select=id` (no version prefix). */
export function serviceOfPath(path: string): Service {
  return serviceOf(path.split('?')[0].split('/').filter(Boolean));
}
