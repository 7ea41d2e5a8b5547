import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * A file of the project (card templates, the tab's pages), found by walking up to the folder
 * with package.json: the same code runs from src/ with tsx and from dist/src/ after tsc.
 */
export function projectFile(...segments: string[]): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return path.join(dir, ...segments);
    if (path.dirname(dir) === dir) throw new Error(`No project root above ${__dirname}`);
  }
}
