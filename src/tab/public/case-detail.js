// One case: summary, steps with their reasons, follow-ups, approvals, evidence, audit trail, and
// the actions the signed-in person may take.
import { deadlineText, utc } from './format.js';

const $ = (id) => document.getElementById(id);
let current = null;
let deps = null;

function rowOf(...texts) {
  const tr = document.createElement('tr');
  for (const text of texts) {
    const td = document.createElement('td');
    td.textContent = text;
    tr.append(td);
  }
  return tr;
}

function summary(c) {
  const entries = [
    ['Person', `${c.target.displayName} (${c.target.userPrincipalName})`],
    ['Requested by', c.requester],
    ['Departure', c.departureType],
    ['State', c.stateLabel],
    ['Cut-off', c.cutoff],
    ['Deadline', deadlineText(c).text],
    ['Exceptions', String(c.exceptions)],
    ['Ticket', c.request.ticket ?? '—'],
    ['Notes', c.request.notes ?? '—'],
    ['Case id', c.id],
  ];
  $('detail-summary').replaceChildren(
    ...entries.flatMap(([term, value]) => {
      const dt = document.createElement('dt');
      dt.textContent = term;
      const dd = document.createElement('dd');
      dd.textContent = value;
      return [dt, dd];
    }),
  );
}

/** Renders the case's Adaptive Card with the SDK; markdown stays plain text (no HTML from data). */
function renderCard(json) {
  const target = $('case-card');
  if (!json || !window.AdaptiveCards) {
    target.replaceChildren();
    return;
  }
  const card = new window.AdaptiveCards.AdaptiveCard();
  card.parse(json);
  target.replaceChildren(card.render());
}

/** Who marked an exception handled, when, and what they did; empty while it is not. */
function handledText(item) {
  return item.resolution ? ` Handled by ${item.resolution.by.displayName} at ${utc(item.resolution.at)}: ${item.resolution.note}` : '';
}

/**
 * Under an open manual exception (a step or a follow-up), a field to say what was done and a
 * "Mark handled" button; the server decides whether the caller may.
 */
function addResolveControl(cell, item, kind, index) {
  if (item.status !== 'manual' || item.resolution) return;
  const input = document.createElement('input');
  input.id = `resolve-note-${kind}-${index}`;
  const label = document.createElement('label');
  label.htmlFor = input.id;
  label.textContent = `What was done for "${item.label}"`;
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = 'Mark handled';
  button.addEventListener('click', () => void act('exceptions/resolve', { kind, index, note: input.value }, 'Exception marked as handled.'));
  cell.append(document.createElement('br'), label, input, button);
}

function stepRow(s, index, canResolve) {
  const tr = rowOf(s.label, s.statusLabel, `${s.detail ?? ''}${handledText(s)}`, utc(s.finishedAt));
  if (canResolve) addResolveControl(tr.children[2], s, 'step', index);
  return tr;
}

/** The follow-ups table, placed after the steps the first time a case is shown. */
function followUpsTable() {
  const existing = $('follow-ups');
  if (existing) return existing;
  const heading = document.createElement('h3');
  heading.textContent = 'Follow-ups';
  const table = document.createElement('table');
  table.id = 'follow-ups';
  const head = document.createElement('thead');
  const tr = document.createElement('tr');
  for (const title of ['Follow-up', 'Status', 'Due', 'Finished', 'Reason']) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = title;
    tr.append(th);
  }
  head.append(tr);
  table.append(head, document.createElement('tbody'));
  $('steps').after(heading, table);
  return table;
}

/** A follow-up: when it is due, how it ended; one called off says who did and why, one handled by whom. */
function followUpRow(f, index, canResolve) {
  const reason = f.cancelled ? `Cancelled by ${f.cancelled.by.displayName} at ${utc(f.cancelled.at)}: ${f.cancelled.reason}` : `${f.detail ?? ''}${handledText(f)}`;
  const tr = rowOf(f.label, f.statusLabel, utc(f.notBefore), utc(f.finishedAt), reason);
  if (canResolve) addResolveControl(tr.children[4], f, 'followUp', index);
  return tr;
}

function renderFollowUps(followUps, canResolve) {
  const body = followUpsTable().querySelector('tbody');
  if (followUps.length) return body.replaceChildren(...followUps.map((f, i) => followUpRow(f, i, canResolve)));
  const empty = rowOf('None yet: follow-ups are scheduled when the case closes.');
  empty.children[0].colSpan = 5;
  body.replaceChildren(empty);
}

function render(detail) {
  const c = { ...detail.case, loadedAt: Date.now() };
  $('detail-title').textContent = `Offboarding of ${c.target.displayName}`;
  summary(c);
  $('steps').querySelector('tbody').replaceChildren(...c.steps.map((s, i) => stepRow(s, i, detail.canResolve)));
  renderFollowUps(c.followUps, detail.canResolve);
  $('plan').replaceChildren(
    // What was found about the person as a whole comes first, as on the approval card.
    ...c.personRisks.map((risk) => {
      const li = document.createElement('li');
      li.textContent = `Risk: ${risk}`;
      return li;
    }),
    ...(c.plan.length ? c.plan : [null]).map((p) => {
      const li = document.createElement('li');
      li.textContent = p ? `${p.label}: ${p.line}${p.risks.length ? ` Risk: ${p.risks.join(' ')}` : ''}` : 'No plan preview for this case.';
      return li;
    }),
  );
  $('decisions').replaceChildren(
    ...(c.decisions.length ? c.decisions : [null]).map((d) => {
      const li = document.createElement('li');
      li.textContent = d ? `${d.decision === 'approved' ? 'Approved' : 'Rejected'} by ${d.by.displayName} at ${utc(d.at)}${d.reason ? `: ${d.reason}` : ''}` : 'No decision yet.';
      return li;
    }),
  );
  renderCard(c.card);
  $('evidence').textContent = c.evidence
    ? `Taken ${utc(c.evidence.takenAt)}, SHA-256 ${c.evidence.sha256}. The full snapshot is in the evidence pack.`
    : 'No evidence snapshot for this case.';
  $('audit').querySelector('tbody').replaceChildren(
    ...c.audit.map((e) => rowOf(utc(e.at), e.event, e.actor, e.detail ? JSON.stringify(e.detail) : '')),
  );
  $('retry').hidden = !detail.canRetry;
  $('cancel-group').hidden = !detail.canCancel;
}

async function act(path, body, done) {
  const res = await deps.api(`/api/cases/${encodeURIComponent(current)}/${path}`, { method: 'POST', body: JSON.stringify(body ?? {}) });
  deps.say(res.ok ? done : res.body.message);
  await load();
}

/** Downloads through fetch, since the API wants the sign-in header a plain link cannot send. */
async function download(extension) {
  const res = await deps.api(`/api/cases/${encodeURIComponent(current)}/evidence.${extension}`);
  if (!res.ok) return deps.say(res.body.message ?? 'Export failed.');
  const text = extension === 'json' ? JSON.stringify(res.body, null, 2) : res.body;
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `evidence.${extension}`;
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], { type: extension === 'json' ? 'application/json' : 'text/html' }));
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  deps.say(`Evidence pack downloaded as ${name}.`);
}

function wire() {
  $('back').addEventListener('click', () => {
    clearTimeout(watch);
    void deps.back().then(() => $('cases-title').focus());
  });
  $('retry').addEventListener('click', () => void act('retry', {}, 'Retry started: the failed steps run again.'));
  $('cancel').addEventListener('click', () => void act('cancel', { reason: $('cancel-reason').value }, 'The offboarding was cancelled.'));
  $('export-json').addEventListener('click', () => void download('json'));
  $('export-html').addEventListener('click', () => void download('html'));
}

const WATCH_INTERVAL_MS = 2000;
let watch = null;

async function load() {
  clearTimeout(watch);
  const shown = current;
  const res = await deps.api(`/api/cases/${encodeURIComponent(shown)}`);
  if (!res.ok) return deps.say(res.body.message ?? 'Could not load the case.');
  render(res.body);
  // While the engine works on the case, follow its progress without a manual refresh.
  const c = res.body.case;
  const followUpDue = c.followUps.some((f) => f.status === 'running' || (f.status === 'pending' && Date.parse(f.notBefore) <= Date.now()));
  const inProgress = c.state === 'running' || (c.state === 'approved' && c.deadline.msLeft <= 0) || followUpDue;
  if (inProgress) watch = setTimeout(() => { if (current === shown && !$('detail').hidden) void load(); }, WATCH_INTERVAL_MS);
}

export async function showCaseDetail(id, withDeps) {
  if (!deps) {
    deps = withDeps;
    wire();
  }
  current = id;
  deps.say('');
  $('cases').hidden = true;
  $('detail').hidden = false;
  await load();
  $('detail-title').focus();
}
