import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { buildAppPackage, parseEnvFile, resolvePlaceholders, type PackagedManifest } from '../../scripts/package-app';
import { decodeRgbaPng } from './png-pixels';

const root = path.resolve(__dirname, '..', '..');
const appPackageDir = path.join(root, 'appPackage');
const localManifest = JSON.parse(
  resolvePlaceholders(
    readFileSync(path.join(appPackageDir, 'manifest.json'), 'utf8'),
    parseEnvFile(readFileSync(path.join(root, 'env', '.env.local'), 'utf8')),
  ),
) as PackagedManifest;
const colorIcon = readFileSync(path.join(appPackageDir, 'color.png'));
const outlineIcon = readFileSync(path.join(appPackageDir, 'outline.png'));

/** Width and height straight from the IHDR chunk, as Teams reads them. */
function ihdrSize(png: Buffer): { width: number; height: number } {
  assert.equal(png.toString('ascii', 12, 16), 'IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('Teams app package', () => {
  const zip = new AdmZip(buildAppPackage(localManifest, { 'color.png': colorIcon, 'outline.png': outlineIcon }));

  it('holds exactly manifest.json, color.png and outline.png, at the zip root', () => {
    const names = zip.getEntries().map((entry) => entry.entryName).sort();
    assert.deepEqual(names, ['color.png', 'manifest.json', 'outline.png']);
  });

  it('carries the resolved manifest, without any placeholder left', () => {
    const text = zip.readAsText('manifest.json');
    assert.doesNotMatch(text, /\$\{\{/);
    assert.deepEqual(JSON.parse(text), localManifest);
  });

  it('carries a 192x192 color icon and a 32x32 outline icon', () => {
    assert.deepEqual(ihdrSize(zip.readFile('color.png')!), { width: 192, height: 192 });
    assert.deepEqual(ihdrSize(zip.readFile('outline.png')!), { width: 32, height: 32 });
  });

  it('has an outline icon that is only white on transparent, as Teams requires', () => {
    const { rgba } = decodeRgbaPng(zip.readFile('outline.png')!);
    let white = 0;
    for (let i = 0; i < rgba.length; i += 4) {
      const alpha = rgba[i + 3];
      if (alpha === 0) continue;
      assert.deepEqual([rgba[i], rgba[i + 1], rgba[i + 2]], [255, 255, 255], `pixel ${i / 4} is not white`);
      white++;
    }
    assert.ok(white > 0, 'the outline icon is empty');
  });

  it('has an opaque color icon, so it looks the same on any Teams theme', () => {
    const { rgba } = decodeRgbaPng(zip.readFile('color.png')!);
    for (let i = 3; i < rgba.length; i += 4) assert.equal(rgba[i], 255, `pixel ${(i - 3) / 4} is not opaque`);
  });

  it('refuses icons of the wrong size, saying which and what Teams requires', () => {
    assert.throws(
      () => buildAppPackage(localManifest, { 'color.png': outlineIcon, 'outline.png': outlineIcon }),
      /The color icon "color\.png" is 32x32; Teams requires 192x192/,
    );
  });

  it('refuses to build when an icon the manifest names is not provided', () => {
    assert.throws(() => buildAppPackage(localManifest, { 'color.png': colorIcon }), /outline icon "outline\.png"/);
  });
});

describe('the package script (npm run package)', () => {
  it('for an unprovisioned dev environment, fails and names the empty variables instead of writing a broken package', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'package-app.ts')], {
      cwd: root,
      env: { PATH: process.env.PATH, TEAMSFX_ENV: 'dev' },
      encoding: 'utf8',
    });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /\/id must match pattern/);
    assert.match(run.stderr, /Empty in env[\\/]\.env\.dev: TEAMS_APP_ID, BOT_ID, BOT_DOMAIN/);
  });
});
