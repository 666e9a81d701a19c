import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodePng, encodePng } from './png.ts';
import { allImages, drawColourTray, drawTemplateTray, moods } from './switchyard-images.ts';

const buildDir = join(import.meta.dirname, '..', '..');

describe('PNG writer', () => {
  it('round-trips pixels through encode and decode', () => {
    const pixels = new Uint8Array(3 * 2 * 4).map((_, index) => (index * 37) % 256);
    const decoded = decodePng(encodePng({ width: 3, height: 2, pixels }));
    expect(decoded).toEqual({ width: 3, height: 2, pixels });
  });
});

describe('committed images', () => {
  it.each(allImages().map((file) => [file.path, file] as const))('build/%s matches what draw-images.ts draws', (_path, file) => {
    const committed = decodePng(readFileSync(join(buildDir, file.path)));
    const drawn = file.draw();
    expect([committed.width, committed.height]).toEqual([drawn.width, drawn.height]);
    expect(Buffer.from(committed.pixels).equals(Buffer.from(drawn.pixels)), `run: node build/scripts/draw-images.ts`).toBe(true);
  }, 20_000);

  it('gives every mood a different tray image, in colour and as a template', () => {
    const digest = (pixels: Uint8Array) => Buffer.from(pixels).toString('base64');
    expect(new Set(moods.map((mood) => digest(drawColourTray(mood, 16).pixels))).size).toBe(moods.length);
    expect(new Set(moods.map((mood) => digest(drawTemplateTray(mood, 16).pixels))).size).toBe(moods.length);
  });

  it('draws template images in black only, as macOS requires', () => {
    for (const mood of moods) {
      const { pixels } = drawTemplateTray(mood, 32);
      for (let index = 0; index < pixels.length; index += 4) expect(pixels[index]! + pixels[index + 1]! + pixels[index + 2]!).toBe(0);
    }
  });
});
