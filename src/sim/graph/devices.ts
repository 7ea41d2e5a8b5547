/** Intune managed devices of a user (read only here). */
import { findUser } from './directory-objects';
import { plainList } from './plain-list';
import type { Route } from './router';

export const deviceRoutes: Route[] = [
  {
    method: 'GET',
    pattern: 'users/:id/managedDevices',
    handle: (req, params, state) => {
      const user = findUser(state, params.id);
      const devices = state.managedDevices
        .filter((d) => d.userId === user.id)
        .map(({ userId, ...device }) => ({ ...device, userId, userPrincipalName: user.userPrincipalName, emailAddress: user.mail ?? '' }));
      return plainList(req, `users('${user.id}')/managedDevices`, 'microsoft.graph.managedDevice', devices);
    },
  },
];
