import { decisionSummary, DEPARTURE_LABELS, formatCutoff, formatUtc, STEP_LABELS, STEP_STATUS_WORDING } from '../cards/wording';
import { STATE_LABELS } from '../cards/wording';
import type { EvidencePack } from './evidence-pack';

/** Every value on the page comes from the case or the directory, so all of it is escaped. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const row = (label: string, value: unknown) => `<tr><th scope="row">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`;

/** The evidence pack as a readable page that prints on paper (no script, no external resources). */
export function evidencePage(pack: EvidencePack): string {
  const c = pack.case;
  const title = `Offboarding evidence: ${c.target.displayName}`;
  const steps = c.steps
    .map(
      (s) =>
        `<tr><td>${escapeHtml(STEP_LABELS[s.action])}</td><td>${escapeHtml(STEP_STATUS_WORDING[s.status].word)}</td>` +
        `<td>${escapeHtml(s.detail)}</td><td>${escapeHtml(s.finishedAt ? formatUtc(s.finishedAt) : '')}</td>` +
        `<td class="ids">${escapeHtml(s.requestIds.join(', '))}</td></tr>`,
    )
    .join('');
  const decisions = c.decisions.length
    ? `<ul>${c.decisions.map((d) => `<li>${escapeHtml(decisionSummary(d))}${d.reason ? `: ${escapeHtml(d.reason)}` : ''}</li>`).join('')}</ul>`
    : '<p>No decision recorded.</p>';
  const audit = pack.audit
    .map(
      (e) =>
        `<tr><td>${escapeHtml(formatUtc(e.at))}</td><td>${escapeHtml(e.event)}</td><td>${escapeHtml(e.actor)}</td>` +
        `<td><code>${escapeHtml(e.detail ? JSON.stringify(e.detail) : '')}</code></td></tr>`,
    )
    .join('');
  const evidence =
    pack.evidence === null
      ? '<p>This case has no evidence snapshot.</p>'
      : `<pre>${escapeHtml(JSON.stringify(pack.evidence, null, 2))}</pre>`;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>
  body { font: 14px/1.45 system-ui, "Segoe UI", sans-serif; color: #111; margin: 2rem; max-width: 60rem; }
  h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #999; }
  table { border-collapse: collapse; width: 100%; } th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid #ddd; }
  th[scope="row"] { width: 14rem; } .ids, code, pre { font-family: ui-monospace, Consolas, monospace; font-size: 12px; word-break: break-all; }
  pre { white-space: pre-wrap; background: #f4f4f4; padding: .75rem; }
  @media print { body { margin: 0; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>Exported ${escapeHtml(formatUtc(pack.exportedAt))} by ${escapeHtml(pack.exportedBy.displayName)}.</p>
<h2>Case</h2>
<table><tbody>
${row('Case id', c._id)}
${row('Person', `${c.target.displayName} (${c.target.userPrincipalName})`)}
${row('Manager', c.target.manager?.displayName ?? '')}
${row('Requested by', c.requester.displayName)}
${row('Departure', DEPARTURE_LABELS[c.request.departureType])}
${row('Cut-off', formatCutoff(c.request, c.notBefore))}
${row('Ticket', c.request.ticket ?? '')}
${row('Notes', c.request.notes ?? '')}
${row('State', STATE_LABELS[c.state])}
${row('Created', formatUtc(c.createdAt))}
${row('Last change', formatUtc(c.updatedAt))}
</tbody></table>
<h2>Approvals</h2>
${decisions}
<h2>Steps</h2>
<table><thead><tr><th scope="col">Step</th><th scope="col">Status</th><th scope="col">Detail</th><th scope="col">Finished</th><th scope="col">Graph request ids</th></tr></thead>
<tbody>${steps}</tbody></table>
<h2>Evidence snapshot</h2>
${evidence}
<h2>Audit events</h2>
<table><thead><tr><th scope="col">When</th><th scope="col">Event</th><th scope="col">Actor</th><th scope="col">Detail</th></tr></thead>
<tbody>${audit}</tbody></table>
</body>
</html>
`;
}
