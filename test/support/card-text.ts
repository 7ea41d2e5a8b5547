/** Everything a person would read on a card, flattened: texts, fact titles and values, button titles. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    for (const key of ['text', 'title', 'value', 'label', 'placeholder']) if (typeof n[key] === 'string') out.push(n[key] as string);
    for (const v of Object.values(n)) if (typeof v === 'object') walk(v);
  };
  walk(card);
  return out.join('\n');
}

/** The Action.Execute buttons on a card, anywhere in it. */
export function cardVerbs(card: unknown): { verb: string; title?: string; data: Record<string, unknown> }[] {
  const found: { verb: string; title?: string; data: Record<string, unknown> }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (n.type === 'Action.Execute' && typeof n.verb === 'string' && n.verb !== 'refresh') {
      found.push({ verb: n.verb, title: n.title as string | undefined, data: (n.data ?? {}) as Record<string, unknown> });
    }
    for (const [k, v] of Object.entries(n)) if (k !== 'refresh' && typeof v === 'object') walk(v);
  };
  walk(card);
  return found;
}

/** The value each input on a card shows, by input id, as a person would see the form filled in. */
export function cardInputs(card: unknown): Record<string, unknown> {
  const found: Record<string, unknown> = {};
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (typeof n.type === 'string' && n.type.startsWith('Input.') && typeof n.id === 'string') found[n.id] = n.value;
    for (const v of Object.values(n)) if (typeof v === 'object') walk(v);
  };
  walk(card);
  return found;
}
