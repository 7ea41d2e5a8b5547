// How times read on the dashboard.

function duration(ms) {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  if (minutes < 1) return 'less than a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} days`;
}

/** The deadline clock: time left until access must be gone, or how long it has been overdue. */
export function deadlineText(c) {
  if (c.state === 'rejected' || c.state === 'cancelled') return { text: 'No deadline', overdue: false };
  if (c.deadline.accessRemoved) return { text: `Access removed (cut-off ${duration(msLeft(c))} ago)`, overdue: false };
  const left = msLeft(c);
  return left >= 0 ? { text: `in ${duration(left)}`, overdue: false } : { text: `overdue by ${duration(left)}`, overdue: true };
}

function msLeft(c) {
  return c.deadline.msLeft - (Date.now() - c.loadedAt);
}

export function utc(iso) {
  return iso ? `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC` : '';
}
