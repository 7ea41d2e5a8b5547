/** Checks every card must pass, whatever its content. */
import assert from 'node:assert/strict';
import { AdaptiveCard, SerializationContext, Versions } from 'adaptivecards';
import type { AdaptiveCardJson } from '../../src/cards/render';

/** Parses with the Adaptive Cards SDK targeting 1.5 (Teams mobile) and returns every complaint. */
export function sdkProblems(json: AdaptiveCardJson): string[] {
  const card = new AdaptiveCard();
  const context = new SerializationContext(Versions.v1_5);
  card.parse(json, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const event of card.validateProperties().validationEvents) problems.push(`validate: ${event.message}`);
  return problems;
}

export interface FoundAction {
  type: string;
  title?: string;
  verb?: string;
  data?: Record<string, unknown>;
  style?: string;
  associatedInputs?: string;
}

/** Every action anywhere in the card: card actions, ActionSets, selectActions and refresh. */
export function allActions(node: unknown): FoundAction[] {
  if (Array.isArray(node)) return node.flatMap(allActions);
  if (node === null || typeof node !== 'object') return [];
  const own = node as Record<string, unknown>;
  const nested = Object.values(own).flatMap(allActions);
  return typeof own.type === 'string' && own.type.startsWith('Action.') ? [own as unknown as FoundAction, ...nested] : nested;
}

/** Every element or input with the given id. */
export function findById(node: unknown, id: string): Record<string, unknown>[] {
  if (Array.isArray(node)) return node.flatMap((n) => findById(n, id));
  if (node === null || typeof node !== 'object') return [];
  const own = node as Record<string, unknown>;
  const nested = Object.values(own).flatMap((n) => findById(n, id));
  return own.id === id ? [own, ...nested] : nested;
}

/** All visible text of the card, one string per TextBlock text, fact and choice title. */
export function texts(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(texts);
  if (node === null || typeof node !== 'object') return [];
  const own = node as Record<string, unknown>;
  const here: string[] = [];
  if (own.type === 'TextBlock' && typeof own.text === 'string') here.push(own.text);
  if (typeof own.title === 'string' && typeof own.value === 'string' && own.type === undefined) {
    here.push(`${own.title}: ${own.value}`);
  }
  return [...here, ...Object.values(own).flatMap(texts)];
}

/** Text as a person reads it once Teams has rendered the markdown: backslash escapes removed. */
export function asRead(text: string): string {
  return text.replace(/\\([\\`*_{}[\]()#<>!~|&+=.-])/g, '$1');
}

/**
 * The checks shared by every card: valid 1.5 JSON with no SDK complaints, no template syntax left
 * over, and only Action.Execute buttons whose data carries exactly the expected id keys.
 */
export function assertSoundCard(json: AdaptiveCardJson, expectedDataKeys: Record<string, string[]>): void {
  assert.equal(json.type, 'AdaptiveCard');
  assert.equal(json.version, '1.5');
  assert.deepEqual(sdkProblems(json), []);
  const serialized = JSON.stringify(json);
  assert.ok(!serialized.includes('${'), `unexpanded template expression in ${serialized}`);
  assert.ok(!/"\$(when|data)"/.test(serialized), 'template directives left in the card');
  assert.ok(!serialized.includes('":null'), 'null left in the card');
  for (const action of allActions(json)) {
    assert.equal(action.type, 'Action.Execute', `${action.title ?? action.verb}: only Action.Execute is allowed`);
    assert.ok(action.verb, `${action.title}: an Action.Execute needs a verb`);
    const keys = expectedDataKeys[action.verb];
    assert.ok(keys, `unexpected verb ${action.verb}`);
    assert.deepEqual(Object.keys(action.data ?? {}).sort(), [...keys].sort(), `data keys of ${action.verb}`);
    for (const value of Object.values(action.data ?? {})) {
      assert.ok(typeof value === 'string' || typeof value === 'number', `${action.verb} data holds only ids`);
    }
  }
}
