// The dashboard page: signs in (Teams SSO inside Teams, the demo sign-in outside it in demo
// mode), then shows the case list and detail. The server decides everything; the page only
// leaves out buttons the server would refuse.
import { showCaseList } from './case-list.js';
import { showCaseDetail } from './case-detail.js';
import { showReadiness } from './readiness-banner.js';

const $ = (id) => document.getElementById(id);
const TEAMS_INIT_TIMEOUT_MS = 5000;

/** How each API call proves who is calling. */
let credentials = null;

function say(message) {
  $('status').textContent = message;
}

async function api(path, options = {}) {
  const headers = { accept: 'application/json', ...(options.body ? { 'content-type': 'application/json' } : {}) };
  if (credentials?.token) headers.authorization = `Bearer ${await credentials.token()}`;
  if (credentials?.demoUserId) headers['x-demo-user'] = credentials.demoUserId;
  const res = await fetch(path, { ...options, headers });
  const isJson = (res.headers.get('content-type') ?? '').includes('json');
  const body = isJson ? await res.json() : await res.text();
  return { status: res.status, ok: res.ok, body, headers: res.headers };
}

/** Teams hosts tabs in a frame (desktop, web) or a native webview (mobile). */
function hostedByTeams() {
  return window.parent !== window || !!window.nativeInterface;
}

async function teamsSignIn() {
  const teams = window.microsoftTeams;
  await Promise.race([
    teams.app.initialize(),
    new Promise((_, reject) => setTimeout(() => reject(new Error('Teams did not answer')), TEAMS_INIT_TIMEOUT_MS)),
  ]);
  const context = await teams.app.getContext();
  applyTheme(context.app.theme);
  teams.app.registerOnThemeChangeHandler(applyTheme);
  credentials = { token: () => teams.authentication.getAuthToken() };
  teams.app.notifySuccess();
}

function applyTheme(theme) {
  document.documentElement.dataset.theme = ['dark', 'contrast'].includes(theme) ? theme : 'default';
}

async function offerDemoSignIn(session, reason) {
  $('demo-reason').textContent = `${reason} This is a simulated tenant: pick a person to see the dashboard as they would.`;
  const select = $('demo-user');
  select.replaceChildren(
    ...session.demoUsers.map((u) => {
      const option = document.createElement('option');
      option.value = u.id;
      option.textContent = `${u.name} (${u.role})`;
      return option;
    }),
  );
  $('demo-sign-in').hidden = false;
  $('who').textContent = 'Not signed in.';
  $('demo-form').addEventListener('submit', (event) => {
    event.preventDefault();
    credentials = { demoUserId: select.value };
    void start();
  });
}

async function start() {
  say('');
  $('readiness').hidden = true;
  const me = await api('/api/me');
  if (!me.ok) {
    $('who').textContent = 'Not signed in.';
    say(me.body.message ?? 'Sign-in failed.');
    return;
  }
  const demo = credentials.demoUserId ? ' (demo sign-in, simulated tenant)' : '';
  $('who').textContent = `Signed in as ${me.body.name}${demo}`;
  if (!me.body.mayViewCases) {
    $('cases').hidden = true;
    $('detail').hidden = true;
    const denied = await api('/api/cases');
    say(denied.body.message ?? 'You cannot see offboarding cases.');
    return;
  }
  // Beside the list, not before it: the check waits for the app's tokens.
  if (me.body.roles.it) void showReadiness({ api }).catch(() => undefined);
  await showList();
}

const showList = () => showCaseList({ api, say, open: openCase });
const openCase = (id) => showCaseDetail(id, { api, say, back: showList });

async function boot() {
  const session = (await api('/api/tab/session')).body;
  if (hostedByTeams()) {
    try {
      await teamsSignIn();
      return start();
    } catch (err) {
      if (session.mode !== 'demo') return say(`Could not sign in with Teams: ${err.message}`);
      return offerDemoSignIn(session, `Teams sign-in did not work (${err.message}).`);
    }
  }
  if (session.mode === 'demo') return offerDemoSignIn(session, 'This page is not running inside Microsoft Teams, so Teams sign-in is not available.');
  say('Open this dashboard from the Offboarding app in Microsoft Teams to sign in.');
  $('who').textContent = 'Not signed in.';
}

void boot();
