// The case list: filter by state, search, and a deadline clock that keeps ticking.
import { deadlineText } from './format.js';

const $ = (id) => document.getElementById(id);
let wired = false;
let rows = [];

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function render(open) {
  const tbody = $('case-table').querySelector('tbody');
  tbody.replaceChildren(
    ...rows.map((c) => {
      const tr = document.createElement('tr');
      const person = document.createElement('td');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'open';
      button.textContent = c.target.displayName;
      button.setAttribute('aria-label', `Open the case of ${c.target.displayName}`);
      button.addEventListener('click', () => open(c.id));
      person.append(button);
      const deadline = deadlineText(c);
      tr.append(
        person,
        cell(c.requester),
        cell(c.departureType),
        cell(c.stateLabel, `state-${c.state}`),
        cell(c.cutoff),
        cell(deadline.text, deadline.overdue ? 'overdue' : ''),
        cell(String(c.exceptions), c.exceptions > 0 ? 'exceptions' : ''),
      );
      return tr;
    }),
  );
  $('no-cases').hidden = rows.length > 0;
}

export async function showCaseList({ api, say, open }) {
  $('detail').hidden = true;
  $('cases').hidden = false;
  if (!wired) {
    wired = true;
    $('case-filter').addEventListener('submit', (event) => {
      event.preventDefault();
      void showCaseList({ api, say, open });
    });
    $('state-filter').addEventListener('change', () => void showCaseList({ api, say, open }));
    // The clock is computed from the time of loading; re-rendering keeps it current.
    setInterval(() => render(open), 30_000);
  }
  const query = new URLSearchParams();
  if ($('state-filter').value) query.set('state', $('state-filter').value);
  if ($('search').value.trim()) query.set('q', $('search').value.trim());
  const res = await api(`/api/cases?${query}`);
  if (!res.ok) {
    rows = [];
    render(open);
    say(res.body.message ?? 'Could not load the cases.');
    return;
  }
  const loadedAt = Date.now();
  rows = res.body.cases.map((c) => ({ ...c, loadedAt }));
  render(open);
}
