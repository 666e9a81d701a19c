import type { Colour, Point, Shape } from './raster.ts';
import { Canvas, capsule, circle, curve, grow, hex, roundedRect, union } from './raster.ts';
import type { RgbaImage } from './png.ts';

/**
 * Every image Switchyard ships, described once: the app icon (installers, window, dock) and the tray icon in each
 * mood, in colour for Windows and Linux and as macOS template images (black + alpha; the menu bar recolours them,
 * so the mood is told by a badge's shape). The mark is a railway switch: one track in, several out.
 */

export type Mood = 'starting' | 'healthy' | 'degraded' | 'paused' | 'failed';
export const moods: readonly Mood[] = ['starting', 'healthy', 'degraded', 'paused', 'failed'];

export const moodColours: Record<Mood, string> = {
  starting: '#2563eb',
  healthy: '#16a34a',
  degraded: '#d97706',
  paused: '#6b7280',
  failed: '#dc2626',
};

interface Placement {
  left: number;
  top: number;
  scale: number;
}

function place({ left, top, scale }: Placement, [x, y]: Point): Point {
  return [left + x * scale, top + y * scale];
}

/** The switch: a trunk from the bottom node that splits into `branches` (2 or 3) tracks ending in nodes. */
function switchMark(placement: Placement, branches: 2 | 3, stroke: number, node: number): Shape {
  const at = (point: Point) => place(placement, point);
  const width = stroke * placement.scale;
  const split: Point = [0.5, 0.56];
  const ends: Point[] = branches === 3 ? [[0.2, 0.2], [0.5, 0.16], [0.8, 0.2]] : [[0.22, 0.18], [0.78, 0.18]];
  const parts: Shape[] = [capsule(at([0.5, 0.84]), at(split), width), circle(at([0.5, 0.84]), node * 1.25 * placement.scale)];
  for (const end of ends) {
    parts.push(end[0] === 0.5 ? capsule(at(split), at(end), width) : curve(at(split), at([0.5, 0.34]), at(end), width));
    parts.push(circle(at(end), node * placement.scale));
  }
  return union(...parts);
}

function pauseBars(centre: Point, height: number): Shape {
  const barWidth = height * 0.32;
  const gap = height * 0.22;
  const top = centre[1] - height / 2;
  return union(
    roundedRect([centre[0] - gap / 2 - barWidth, top], [barWidth, height], barWidth * 0.3),
    roundedRect([centre[0] + gap / 2, top], [barWidth, height], barWidth * 0.3),
  );
}

function cross(centre: Point, size: number, width: number): Shape {
  const h = size / 2;
  return union(
    capsule([centre[0] - h, centre[1] - h], [centre[0] + h, centre[1] + h], width),
    capsule([centre[0] - h, centre[1] + h], [centre[0] + h, centre[1] - h], width),
  );
}

function dots(centre: Point, spacing: number, radius: number): Shape {
  return union(circle([centre[0] - spacing, centre[1]], radius), circle(centre, radius), circle([centre[0] + spacing, centre[1]], radius));
}

export function drawAppIcon(size: number): RgbaImage {
  const top = hex('#4f46e5');
  const bottom = hex('#1e1b4b');
  const gradient = (_x: number, y: number): Colour => {
    const t = Math.max(0, Math.min(1, (y - 0.06) / 0.88));
    return [top[0] + (bottom[0] - top[0]) * t, top[1] + (bottom[1] - top[1]) * t, top[2] + (bottom[2] - top[2]) * t, 1];
  };
  return new Canvas(size)
    .fill(roundedRect([0.06, 0.06], [0.88, 0.88], 0.2), gradient)
    .fill(switchMark({ left: 0.2, top: 0.18, scale: 0.6 }, 3, 0.05, 0.085), hex('#ffffff'))
    .toImage();
}

/** Windows and Linux: a disc in the mood's colour with a white symbol. */
export function drawColourTray(mood: Mood, size: number): RgbaImage {
  const canvas = new Canvas(size).fill(circle([0.5, 0.5], 0.47), hex(moodColours[mood]));
  const white = hex('#ffffff');
  switch (mood) {
    case 'paused':
      return canvas.fill(pauseBars([0.5, 0.5], 0.4), white).toImage();
    case 'failed':
      return canvas.fill(cross([0.5, 0.5], 0.34, 0.075), white).toImage();
    case 'starting':
      return canvas.fill(dots([0.5, 0.5], 0.2, 0.075), white).toImage();
    default:
      return canvas.fill(switchMark({ left: 0.19, top: 0.17, scale: 0.62 }, 2, 0.11, 0.1), white).toImage();
  }
}

const badgeCentre: Point = [0.79, 0.79];

/** macOS: the switch in black; dimmed while not serving, with a badge whose shape tells the mood. */
export function drawTemplateTray(mood: Mood, size: number): RgbaImage {
  const black = hex('#000000');
  const mark = switchMark({ left: 0.02, top: 0.0, scale: 0.86 }, 2, 0.1, 0.1);
  const canvas = new Canvas(size).fill(mark, black);
  if (mood === 'starting' || mood === 'paused') canvas.fade(0.45);
  let badge: Shape | undefined;
  if (mood === 'degraded') badge = circle(badgeCentre, 0.17);
  if (mood === 'paused') badge = pauseBars(badgeCentre, 0.34);
  if (mood === 'failed') badge = cross(badgeCentre, 0.26, 0.07);
  if (badge) canvas.cut(grow(badge, 0.09)).fill(badge, black);
  return canvas.toImage();
}

export interface ImageFile {
  /** Path under build/. */
  path: string;
  draw(): RgbaImage;
}

/** Linux icon theme sizes (electron-builder reads build/icons/<n>x<n>.png). */
export const linuxIconSizes = [16, 24, 32, 48, 64, 128, 256, 512] as const;

export function allImages(): ImageFile[] {
  const files: ImageFile[] = [{ path: 'icon.png', draw: () => drawAppIcon(1024) }];
  for (const size of linuxIconSizes) files.push({ path: `icons/${size}x${size}.png`, draw: () => drawAppIcon(size) });
  for (const mood of moods) {
    files.push({ path: `tray/tray-${mood}.png`, draw: () => drawColourTray(mood, 16) });
    files.push({ path: `tray/tray-${mood}@2x.png`, draw: () => drawColourTray(mood, 32) });
    files.push({ path: `tray/tray-${mood}Template.png`, draw: () => drawTemplateTray(mood, 16) });
    files.push({ path: `tray/tray-${mood}Template@2x.png`, draw: () => drawTemplateTray(mood, 32) });
  }
  return files;
}
