import type restify from 'restify';
import { SEED_IDS } from '../sim/seed';
import { TokenRejected, type TabCaller, type TeamsTokenValidator } from './tab-auth';

/** The header the demo sign-in sends: the simulated user's object id. */
export const DEMO_USER_HEADER = 'x-demo-user';

/** The simulated users the demo sign-in offers, with why each one is interesting to try. */
export const DEMO_USERS: readonly (TabCaller & { role: string })[] = [
  { id: SEED_IDS.isaiah, name: 'Isaiah Langer', role: 'IT operations: sees cases, retries, cancels' },
  { id: SEED_IDS.patti, name: 'Patti Fernandez', role: 'IT operations' },
  { id: SEED_IDS.megan, name: 'Megan Bowen', role: 'Security approver: sees cases' },
  { id: SEED_IDS.lynne, name: 'Lynne Robbins', role: 'HR: sees cases' },
  { id: SEED_IDS.alex, name: 'Alex Wilber', role: 'Manager: may cancel what he requested' },
  { id: SEED_IDS.jane, name: 'Jane Doe', role: 'Sales: no access' },
];

export type SignInMode = 'demo' | 'production';

export type SignInResult = { caller: TabCaller } | { refused: string };

/**
 * Who is calling. A Teams SSO bearer token is always honoured when a validator is configured;
 * the demo header only in demo mode, where the whole tenant is simulated. The demo header is a
 * header, not a cookie, so a page elsewhere cannot make a browser send it (no CSRF).
 */
export async function signIn(req: restify.Request, mode: SignInMode, tokens: TeamsTokenValidator | undefined): Promise<SignInResult> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '')?.[1];
  if (bearer) {
    if (!tokens) return { refused: 'SSO is not configured on this server' };
    try {
      return { caller: await tokens.validate(bearer) };
    } catch (err) {
      if (err instanceof TokenRejected) return { refused: err.reason };
      throw err;
    }
  }
  const demoId = req.header(DEMO_USER_HEADER);
  if (demoId) {
    if (mode !== 'demo') return { refused: 'demo sign-in outside demo mode' };
    const user = DEMO_USERS.find((u) => u.id === demoId);
    return user ? { caller: { id: user.id, name: user.name } } : { refused: 'unknown demo user' };
  }
  return { refused: 'no credentials' };
}
