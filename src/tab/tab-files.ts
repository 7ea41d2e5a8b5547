import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type restify from 'restify';
import { projectFile } from '../project-files';

const PUBLIC_DIR = projectFile('src', 'tab', 'public');

/**
 * The tab's files, by name. A fixed list rather than a directory mapping: nothing else on disk
 * can be reached through /tab/, whatever the path. teams-js is served from its own package's
 * prebuilt UMD bundle, so the page needs no build step.
 */
const FILES = new Map<string, { file: string; type: string }>(Object.entries({
  'index.html': { file: path.join(PUBLIC_DIR, 'index.html'), type: 'text/html; charset=utf-8' },
  'tab.js': { file: path.join(PUBLIC_DIR, 'tab.js'), type: 'text/javascript; charset=utf-8' },
  'case-list.js': { file: path.join(PUBLIC_DIR, 'case-list.js'), type: 'text/javascript; charset=utf-8' },
  'case-detail.js': { file: path.join(PUBLIC_DIR, 'case-detail.js'), type: 'text/javascript; charset=utf-8' },
  'format.js': { file: path.join(PUBLIC_DIR, 'format.js'), type: 'text/javascript; charset=utf-8' },
  'readiness-banner.js': { file: path.join(PUBLIC_DIR, 'readiness-banner.js'), type: 'text/javascript; charset=utf-8' },
  'tab.css': { file: path.join(PUBLIC_DIR, 'tab.css'), type: 'text/css; charset=utf-8' },
  'vendor/MicrosoftTeams.min.js': { file: require.resolve('@microsoft/teams-js'), type: 'text/javascript; charset=utf-8' },
  // The Adaptive Cards SDK renders the case's card in the detail view, as Teams would.
  'vendor/adaptivecards.min.js': { file: require.resolve('adaptivecards/dist/adaptivecards.min.js'), type: 'text/javascript; charset=utf-8' },
}));

/** Teams shows the tab in a frame on these hosts; no other site may frame it. */
const FRAME_ANCESTORS = [
  "'self'",
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://*.teams.microsoft.us',
  'https://*.cloud.microsoft',
  'https://*.office.com',
  'https://local.teams.office.com',
  'https://*.skype.com',
].join(' ');

export const TAB_CSP = `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors ${FRAME_ANCESTORS}`;

export function registerTabFiles(server: restify.Server): void {
  server.get('/tab/*', async (req: restify.Request, res: restify.Response) => {
    const name = decodeURIComponent(new URL(req.url ?? '', 'http://tab').pathname.replace(/^\/tab\//, ''));
    // A Map, not an object: "constructor" or "__proto__" must not find Object.prototype's members.
    const entry = FILES.get(name === '' ? 'index.html' : name);
    if (!entry) {
      res.json(404, { error: 'not_found', message: 'No such file in the tab.' });
      return;
    }
    const body = await readFile(entry.file);
    res.writeHead(200, {
      'content-type': entry.type,
      'content-length': body.length,
      'content-security-policy': TAB_CSP,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    });
    res.end(body);
  });
}
