// Builds the Teams app package (appPackage/build/appPackage.<env>.zip) offline, so a fresh
// checkout can produce an uploadable package without the Agents Toolkit or a tenant.
// Usage: npm run package            (TEAMSFX_ENV=dev npm run package for another environment)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
// The Teams manifest schemas are JSON Schema draft-04, which Ajv 8's default class cannot read.
import Ajv04 from 'ajv-draft-04';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export type Variables = Readonly<Record<string, string | undefined>>;

/** Icon paths as the manifest names them, relative to the package root. */
export interface ManifestIcons {
  color: string;
  outline: string;
}

export interface PackagedManifest {
  manifestVersion: string;
  icons: ManifestIcons;
  [property: string]: unknown;
}

export class MissingVariablesError extends Error {
  constructor(readonly names: readonly string[]) {
    super(`No value for manifest placeholder(s): ${names.join(', ')}`);
    this.name = 'MissingVariablesError';
  }
}

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** The distinct `${{NAME}}` placeholders in a template, in order of first use. */
function placeholderNames(template: string): string[] {
  return [...new Set(Array.from(template.matchAll(PLACEHOLDER), (m) => m[1]))];
}

/**
 * Replaces every `${{NAME}}` with its value. Every placeholder sits inside a JSON string in the
 * manifest, so values are escaped for that position: a quote in a value cannot break the JSON.
 * An empty value is allowed (APP_NAME_SUFFIX is empty in production); an undefined one is not.
 */
export function resolvePlaceholders(template: string, vars: Variables): string {
  const missing = placeholderNames(template).filter((name) => vars[name] === undefined);
  if (missing.length > 0) throw new MissingVariablesError(missing);
  return template.replace(PLACEHOLDER, (_match, name: string) => JSON.stringify(vars[name]).slice(1, -1));
}

/** Reads a dotenv-style file as the Agents Toolkit writes them: KEY=VALUE, # comments. */
export function parseEnvFile(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    const quoted = /^(["'])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2];
    else value = value.replace(/\s+#.*$/, '');
    vars[key] = value;
  }
  return vars;
}

const manifestPackageRoot = path.dirname(require.resolve('@microsoft/app-manifest/package.json'));

/** The official schema for a manifest version, as shipped offline in @microsoft/app-manifest. */
export function schemaPathFor(manifestVersion: string): string {
  return path.join(manifestPackageRoot, 'build', 'json-schemas', 'teams', `v${manifestVersion}`, 'MicrosoftTeams.schema.json');
}

// Microsoft's schemas put `additionalProperties` next to `$ref` without `type`, which Ajv's strict
// mode rejects; strict mode checks schema style, not manifests, so it is safe to turn off here.
const ajv = new Ajv04({ allErrors: true, strict: false });
addFormats(ajv);
const validators = new Map<string, ValidateFunction>();

function validatorFor(manifestVersion: string): ValidateFunction | undefined {
  const cached = validators.get(manifestVersion);
  if (cached) return cached;
  const schemaPath = schemaPathFor(manifestVersion);
  if (!existsSync(schemaPath)) return undefined;
  const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
  validators.set(manifestVersion, validate);
  return validate;
}

function valueAt(document: unknown, pointer: string): unknown {
  let node = document;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node;
}

function explain(error: ErrorObject, manifest: unknown): string {
  const where = error.instancePath === '' ? 'manifest' : error.instancePath;
  let detail = '';
  if (error.keyword === 'additionalProperties') {
    detail = ` (unexpected "${String(error.params.additionalProperty)}")`;
  } else if (!['required', 'type'].includes(error.keyword)) {
    detail = ` (got ${JSON.stringify(valueAt(manifest, error.instancePath))})`;
  }
  return `${where} ${error.message ?? 'is invalid'}${detail}`;
}

/**
 * Checks a resolved manifest against the official schema of the version it declares.
 * Returns one readable line per problem, naming the JSON path and the offending value;
 * an empty list means the manifest is valid.
 */
export function validateManifest(manifest: unknown): string[] {
  const version = (manifest as { manifestVersion?: unknown } | null)?.manifestVersion;
  if (typeof version !== 'string') return ['manifest must have a string manifestVersion'];
  const validate = validatorFor(version);
  if (!validate) return [`manifestVersion "${version}" has no schema in @microsoft/app-manifest`];
  if (validate(manifest)) return [];
  const lines = (validate.errors ?? []).map((error) => explain(error, manifest));
  return [...new Set(lines)];
}

/** Width and height from a PNG's IHDR chunk; throws when the bytes are not a PNG. */
function pngSize(png: Buffer): { width: number; height: number } {
  const signature = '89504e470d0a1a0a';
  if (png.length < 24 || png.subarray(0, 8).toString('hex') !== signature || png.toString('ascii', 12, 16) !== 'IHDR') {
    throw new Error('not a PNG file');
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

// Sizes Teams requires; checked here so a wrong icon fails now, not at upload.
const ICON_SIZES: Record<keyof ManifestIcons, number> = { color: 192, outline: 32 };

/**
 * Zips the manifest and its two icons at the package root. `iconFiles` maps the icon paths the
 * manifest names to their bytes.
 */
export function buildAppPackage(manifest: PackagedManifest, iconFiles: Readonly<Record<string, Buffer>>): Buffer {
  const zip = new AdmZip();
  zip.addFile('manifest.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8'));
  for (const kind of Object.keys(ICON_SIZES) as (keyof ManifestIcons)[]) {
    const iconPath = manifest.icons[kind];
    const bytes = iconFiles[iconPath];
    if (!bytes) throw new Error(`The ${kind} icon "${iconPath}" named in the manifest was not provided`);
    const { width, height } = pngSize(bytes);
    const size = ICON_SIZES[kind];
    if (width !== size || height !== size) {
      throw new Error(`The ${kind} icon "${iconPath}" is ${width}x${height}; Teams requires ${size}x${size}`);
    }
    zip.addFile(iconPath, bytes);
  }
  return zip.toBuffer();
}

function packageForEnvironment(projectRoot: string, envName: string): string {
  const envFile = path.join('env', `.env.${envName}`);
  const envPath = path.join(projectRoot, envFile);
  if (!existsSync(envPath)) throw new Error(`${envFile} not found: create it or set TEAMSFX_ENV to an existing environment`);
  // The process environment wins, so CI can inject values without editing the file.
  const vars: Variables = { ...parseEnvFile(readFileSync(envPath, 'utf8')), ...process.env };

  const appPackageDir = path.join(projectRoot, 'appPackage');
  const template = readFileSync(path.join(appPackageDir, 'manifest.json'), 'utf8');
  let resolved: string;
  try {
    resolved = resolvePlaceholders(template, vars);
  } catch (error) {
    if (error instanceof MissingVariablesError) {
      throw new Error(`${error.message}. Add them to ${envFile} or the environment.`);
    }
    throw error;
  }
  const manifest = JSON.parse(resolved) as PackagedManifest;

  const problems = validateManifest(manifest);
  if (problems.length > 0) {
    const empty = placeholderNames(template).filter((name) => vars[name] === '');
    const hint = empty.length > 0 ? `\nEmpty in ${envFile}: ${empty.join(', ')} (set them, or run provisioning for this environment first).` : '';
    throw new Error(`appPackage/manifest.json does not match its schema:\n  ${problems.join('\n  ')}${hint}`);
  }

  const iconFiles: Record<string, Buffer> = {};
  for (const iconPath of [manifest.icons.color, manifest.icons.outline]) {
    iconFiles[iconPath] = readFileSync(path.join(appPackageDir, iconPath));
  }
  const outputPath = path.join(appPackageDir, 'build', `appPackage.${envName}.zip`);
  mkdirSync(path.dirname(outputPath), { recursive: true });
  writeFileSync(outputPath, buildAppPackage(manifest, iconFiles));
  return path.relative(projectRoot, outputPath);
}

if (require.main === module) {
  const envName = process.env.TEAMSFX_ENV || 'local';
  try {
    const written = packageForEnvironment(path.resolve(__dirname, '..'), envName);
    console.log(`Wrote ${written} (environment "${envName}")`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
