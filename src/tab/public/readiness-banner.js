// For IT: which offboarding steps would fail for lack of consent or of a directory role, and what to grant, seen before
// anyone has to be offboarded in a hurry. Shown only when something is missing or unknown.
import { utc } from './format.js';

const $ = (id) => document.getElementById(id);

function item(label, detail) {
  const li = document.createElement('li');
  const strong = document.createElement('strong');
  strong.textContent = label;
  li.append(strong, detail);
  return li;
}

/** ": grant A and B; assign the C" — permissions are granted (admin consent), roles assigned. */
function grantLine(missing) {
  const span = document.createElement('span');
  const list = (verb, names) => {
    span.append(verb);
    names.forEach((name, i) => {
      if (i > 0) span.append(' and ');
      const code = document.createElement('code');
      code.textContent = name;
      span.append(code);
    });
  };
  if (missing.permissions.length > 0) list(': grant ', missing.permissions);
  if (missing.roles?.length > 0) list(missing.permissions.length > 0 ? '; assign the ' : ': assign the ', missing.roles);
  return span;
}

export async function showReadiness({ api }) {
  const banner = $('readiness');
  const res = await api('/api/readiness');
  // Not IT, or the check itself failed: the server logs why; the page has nothing to add.
  if (!res.ok || res.body.ok) {
    banner.hidden = true;
    return;
  }
  const { missing, graph, exchange, alsoCheck, checkedAt } = res.body;
  const problems = [graph, exchange].filter((check) => check.problem).map((check) => check.problem);
  $('readiness-title').textContent =
    missing.length > 0 ? 'The app is missing permissions: these offboarding steps would fail' : "Could not check the app's permissions";
  $('readiness-missing').replaceChildren(...missing.map((m) => item(m.label, grantLine(m))));
  $('readiness-problems').replaceChildren(
    ...problems.map((problem) => {
      const li = document.createElement('li');
      li.textContent = problem;
      return li;
    }),
  );
  $('readiness-also').replaceChildren(
    ...alsoCheck.map((text) => {
      const li = document.createElement('li');
      li.textContent = text;
      return li;
    }),
  );
  $('readiness-checked').textContent = `Read from the app's own token and role assignments at ${utc(checkedAt)}. Entra ID adds a newly consented permission to the next token, within the hour, or at once after a restart.`;
  banner.hidden = false;
}
