import type { RgbaImage } from './png.ts';

/**
 * A tiny vector rasteriser for icons. Shapes are signed distance functions in unit coordinates (0..1 across the
 * image); coverage comes from the distance at each pixel centre, which gives clean anti-aliased edges at 16 px and at
 * 1024 px from the same description.
 */

export type Point = readonly [number, number];
/** Signed distance from a point to a shape's edge, in unit coordinates; negative inside. */
export type Shape = (x: number, y: number) => number;
export type Colour = readonly [number, number, number, number];

export function hex(value: string, alpha = 1): Colour {
  const number = Number.parseInt(value.replace('#', ''), 16);
  return [(number >> 16) & 0xff, (number >> 8) & 0xff, number & 0xff, alpha];
}

export function circle([cx, cy]: Point, radius: number): Shape {
  return (x, y) => Math.hypot(x - cx, y - cy) - radius;
}

export function ring(centre: Point, radius: number, width: number): Shape {
  const disc = circle(centre, radius);
  return (x, y) => Math.abs(disc(x, y)) - width / 2;
}

export function roundedRect([left, top]: Point, [width, height]: Point, radius: number): Shape {
  const cx = left + width / 2;
  const cy = top + height / 2;
  return (x, y) => {
    const dx = Math.abs(x - cx) - width / 2 + radius;
    const dy = Math.abs(y - cy) - height / 2 + radius;
    return Math.hypot(Math.max(dx, 0), Math.max(dy, 0)) + Math.min(Math.max(dx, dy), 0) - radius;
  };
}

/** A line from a to b with round ends. */
export function capsule([ax, ay]: Point, [bx, by]: Point, radius: number): Shape {
  return (x, y) => {
    const px = x - ax;
    const py = y - ay;
    const vx = bx - ax;
    const vy = by - ay;
    const t = Math.max(0, Math.min(1, (px * vx + py * vy) / (vx * vx + vy * vy || 1)));
    return Math.hypot(px - vx * t, py - vy * t) - radius;
  };
}

/** A quadratic Bézier stroke with round ends, approximated by short capsules. */
export function curve(start: Point, control: Point, end: Point, radius: number, segments = 32): Shape {
  const points: Point[] = [];
  for (let index = 0; index <= segments; index += 1) {
    const t = index / segments;
    const a = (1 - t) * (1 - t);
    const b = 2 * (1 - t) * t;
    const c = t * t;
    points.push([a * start[0] + b * control[0] + c * end[0], a * start[1] + b * control[1] + c * end[1]]);
  }
  return union(...points.slice(1).map((point, index) => capsule(points[index]!, point, radius)));
}

export function union(...shapes: Shape[]): Shape {
  return (x, y) => Math.min(...shapes.map((shape) => shape(x, y)));
}

/** A shape grown by `amount` (for the gap cut around a badge). */
export function grow(shape: Shape, amount: number): Shape {
  return (x, y) => shape(x, y) - amount;
}

export class Canvas {
  readonly size: number;
  readonly #rgba: Float64Array;

  constructor(size: number) {
    this.size = size;
    this.#rgba = new Float64Array(size * size * 4);
  }

  #coverage(shape: Shape, px: number, py: number): number {
    const distance = shape((px + 0.5) / this.size, (py + 0.5) / this.size) * this.size;
    return Math.max(0, Math.min(1, 0.5 - distance));
  }

  /** Paints colour over what is there (source-over). `colour` may vary per pixel (gradients). */
  fill(shape: Shape, colour: Colour | ((x: number, y: number) => Colour)): this {
    for (let py = 0; py < this.size; py += 1) {
      for (let px = 0; px < this.size; px += 1) {
        const coverage = this.#coverage(shape, px, py);
        if (coverage === 0) continue;
        const [r, g, b, a] = typeof colour === 'function' ? colour((px + 0.5) / this.size, (py + 0.5) / this.size) : colour;
        const source = a * coverage;
        const index = (py * this.size + px) * 4;
        const destination = this.#rgba[index + 3]!;
        const out = source + destination * (1 - source);
        for (let channel = 0; channel < 3; channel += 1) {
          const value = [r, g, b][channel]!;
          this.#rgba[index + channel] = out === 0 ? 0 : (value * source + this.#rgba[index + channel]! * destination * (1 - source)) / out;
        }
        this.#rgba[index + 3] = out;
      }
    }
    return this;
  }

  /** Removes what is under the shape (destination-out): knocked-out glyphs and gaps around badges. */
  cut(shape: Shape): this {
    for (let py = 0; py < this.size; py += 1) {
      for (let px = 0; px < this.size; px += 1) {
        const coverage = this.#coverage(shape, px, py);
        if (coverage > 0) this.#rgba[(py * this.size + px) * 4 + 3]! *= 1 - coverage;
      }
    }
    return this;
  }

  /** Scales the opacity of everything drawn so far (dimmed template glyphs). */
  fade(alpha: number): this {
    for (let index = 3; index < this.#rgba.length; index += 4) this.#rgba[index]! *= alpha;
    return this;
  }

  toImage(): RgbaImage {
    const pixels = new Uint8Array(this.size * this.size * 4);
    for (let index = 0; index < pixels.length; index += 4) {
      const alpha = this.#rgba[index + 3]!;
      for (let channel = 0; channel < 3; channel += 1) pixels[index + channel] = alpha === 0 ? 0 : Math.round(this.#rgba[index + channel]!);
      pixels[index + 3] = Math.round(alpha * 255);
    }
    return { width: this.size, height: this.size, pixels };
  }
}
