/** One stroke of the pad, in canvas pixels. */
export type Stroke = { x: number; y: number }[];

/** Whether the strokes draw anything worth saving (a tap is not a signature). */
export function hasInk(strokes: readonly Stroke[]): boolean {
  return strokes.some((s) => s.length > 1 && s.some((p) => p.x !== s[0].x || p.y !== s[0].y));
}

/** The canvas point of a pointer event, scaled when the canvas is drawn at another size than its pixels. */
export function canvasPoint(args: {
  clientX: number;
  clientY: number;
  rect: { left: number; top: number; width: number; height: number };
  width: number;
  height: number;
}) {
  const { rect } = args;
  return {
    x: ((args.clientX - rect.left) / (rect.width || 1)) * args.width,
    y: ((args.clientY - rect.top) / (rect.height || 1)) * args.height,
  };
}

/** Draws the strokes on a 2D context (cleared first). */
export function paint(ctx: CanvasRenderingContext2D, strokes: readonly Stroke[], size: { width: number; height: number }): void {
  ctx.clearRect(0, 0, size.width, size.height);
  ctx.lineWidth = 2.5;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.strokeStyle = '#1f1f1f';
  for (const s of strokes) {
    if (!s.length) continue;
    ctx.beginPath();
    ctx.moveTo(s[0].x, s[0].y);
    for (const p of s.slice(1)) ctx.lineTo(p.x, p.y);
    ctx.stroke();
  }
}
