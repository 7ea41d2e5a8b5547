/** Expands the Adaptive Card templates in the repository's `cards/` folder. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as ACData from 'adaptivecards-templating';

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

// Walk up from this file to the project root (the folder with package.json), so the same code
// finds the templates when run from src/ with tsx and from dist/src/ after tsc, whatever the cwd.
function templatePath(name: CardName): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'cards', `${name}.json`);
    if (path.dirname(dir) === dir) throw new Error(`No project root above ${__dirname} for card '${name}'`);
  }
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
