/** Expands the Adaptive Card templates in the repository's `cards/` folder. */
import { readFileSync } from 'node:fs';
import * as ACData from 'adaptivecards-templating';
import { projectFile } from '../project-files';

export type CardName = 'pick-target' | 'request' | 'approval' | 'status' | 'completion' | 'notice';

export interface CardRefresh {
  action: { type: 'Action.Execute'; verb: string; data: Record<string, string> };
  userIds: string[];
}

/** An expanded card, ready to send as an attachment or to return from an invoke. */
export interface AdaptiveCardJson {
  type: 'AdaptiveCard';
  $schema: string;
  version: string;
  body: object[];
  actions?: object[];
  refresh?: CardRefresh;
}

const templates = new Map<CardName, ACData.Template>();

export function renderCard(name: CardName, data: object): AdaptiveCardJson {
  let template = templates.get(name);
  if (!template) {
    template = new ACData.Template(JSON.parse(readFileSync(templatePath(name), 'utf8')));
    templates.set(name, template);
  }
  return withoutNulls(template.expand({ $root: data })) as AdaptiveCardJson;
}

function templatePath(name: CardName): string {
  return projectFile('cards', `${name}.json`);
}

// A `$when` that is false on an object-valued property (e.g. `refresh`) leaves `null` behind;
// clients should never see a null where the schema expects an object.
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  const kept: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (inner !== null) kept[key] = withoutNulls(inner);
  }
  return kept;
}
