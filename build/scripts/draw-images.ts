// `node build/scripts/draw-images.ts`: redraws every icon and tray image under build/ from
// build/scripts/images/switchyard-images.ts. The PNGs are committed (electron-builder and the app read them); a unit
// test checks they still match what this script draws.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { encodePng } from './images/png.ts';
import { allImages } from './images/switchyard-images.ts';

const buildDir = join(import.meta.dirname, '..');
for (const file of allImages()) {
  const target = join(buildDir, file.path);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, encodePng(file.draw()));
  console.log(`drew build/${file.path}`);
}
