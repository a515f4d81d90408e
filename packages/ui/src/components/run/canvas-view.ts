import { useCallback, useEffect, useRef } from "react";
import { readPalette, type Palette } from "./state-colors.js";

/** How the drawing maps to the screen: screen = world × scale + offset, in CSS pixels. */
export interface View {
  scale: number;
  tx: number;
  ty: number;
}

/** What a draw call gets: the context (already scaled for the device), the view and the CSS size. */
export interface DrawFrame {
  readonly ctx: CanvasRenderingContext2D;
  readonly view: View;
  readonly width: number;
  readonly height: number;
  /** Device pixels per CSS pixel (the scale already applied to `ctx`). */
  readonly ratio: number;
  /** The colours of the current light or dark scheme, read from the canvas's CSS. */
  readonly palette: Palette;
}

export interface CanvasViewOptions {
  /** Draws one frame; called at most once per animation frame. */
  readonly draw: (frame: DrawFrame) => void;
  /** A click (a press released without dragging) at a point of the drawing. */
  readonly onClick?: (worldX: number, worldY: number) => void;
  /** Whether dragging pans and the wheel zooms (default true). */
  readonly panZoom?: boolean;
  readonly minScale?: number;
  readonly maxScale?: number;
}

/** Drag distance (CSS px) below which a press counts as a click. */
const CLICK_SLOP = 4;

/**
 * A canvas that redraws only when asked, at most once per animation frame, sized for the device's
 * pixel ratio and the element's width, with drag-to-pan and wheel-to-zoom (about the pointer). The
 * view lives in a ref, not in React state: panning costs one canvas draw per frame, no render.
 */
export function useCanvasView(options: CanvasViewOptions) {
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const view = useRef<View>({ scale: 1, tx: 0, ty: 0 });
  const optionsRef = useRef(options);
  optionsRef.current = options;
  const frame = useRef<number | undefined>(undefined);
  /** The CSS size of the last paint, so a resize notice that changes nothing costs no repaint. */
  const painted = useRef({ width: -1, height: -1 });
  /** Read once, and again when the colour scheme changes: reading CSS per frame would cost a style pass. */
  const palette = useRef<Palette | undefined>(undefined);

  const paint = useCallback(() => {
    frame.current = undefined;
    const canvas = canvasRef.current;
    if (!canvas) return;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    painted.current = { width, height };
    const ratio = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
    if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio);
    // happy-dom and some locked-down browsers have no 2D context: the accessible summary remains.
    const ctx = canvas.getContext?.("2d");
    if (!ctx) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    palette.current ??= readPalette(canvas);
    optionsRef.current.draw({ ctx, view: view.current, width, height, ratio, palette: palette.current });
  }, []);

  const requestDraw = useCallback(() => {
    if (frame.current === undefined) frame.current = requestAnimationFrame(paint);
  }, [paint]);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    // The observer also reports the size once when observing starts, right after the first paint:
    // repainting a large drawing for that would cost a second full frame for nothing.
    const resize = new ResizeObserver(() => {
      const { width, height } = painted.current;
      if (canvas.clientWidth !== width || canvas.clientHeight !== height) requestDraw();
    });
    resize.observe(canvas);
    const dark = window.matchMedia?.("(prefers-color-scheme: dark)");
    const onScheme = () => {
      palette.current = undefined;
      requestDraw();
    };
    dark?.addEventListener("change", onScheme);
    let press: { x: number; y: number; tx: number; ty: number; moved: boolean } | undefined;
    const local = (e: { clientX: number; clientY: number }) => {
      const box = canvas.getBoundingClientRect();
      return { x: e.clientX - box.left, y: e.clientY - box.top };
    };
    const onDown = (e: PointerEvent) => {
      if (e.button !== 0) return;
      const p = local(e);
      press = { ...p, tx: view.current.tx, ty: view.current.ty, moved: false };
      canvas.setPointerCapture?.(e.pointerId);
    };
    const onMove = (e: PointerEvent) => {
      if (!press) return;
      const p = local(e);
      const dx = p.x - press.x;
      const dy = p.y - press.y;
      if (Math.abs(dx) + Math.abs(dy) > CLICK_SLOP) press.moved = true;
      if (press.moved && optionsRef.current.panZoom !== false) {
        view.current.tx = press.tx + dx;
        view.current.ty = press.ty + dy;
        requestDraw();
      }
    };
    const onUp = (e: PointerEvent) => {
      const was = press;
      press = undefined;
      if (!was || was.moved) return;
      const p = local(e);
      const v = view.current;
      optionsRef.current.onClick?.((p.x - v.tx) / v.scale, (p.y - v.ty) / v.scale);
    };
    const onWheel = (e: WheelEvent) => {
      if (optionsRef.current.panZoom === false) return;
      e.preventDefault();
      const p = local(e);
      const v = view.current;
      const { minScale = 0.01, maxScale = 4 } = optionsRef.current;
      const scale = Math.min(maxScale, Math.max(minScale, v.scale * Math.exp(-e.deltaY * 0.0015)));
      v.tx = p.x - ((p.x - v.tx) / v.scale) * scale;
      v.ty = p.y - ((p.y - v.ty) / v.scale) * scale;
      v.scale = scale;
      requestDraw();
    };
    canvas.addEventListener("pointerdown", onDown);
    canvas.addEventListener("pointermove", onMove);
    canvas.addEventListener("pointerup", onUp);
    canvas.addEventListener("pointercancel", () => (press = undefined));
    canvas.addEventListener("wheel", onWheel, { passive: false });
    return () => {
      resize.disconnect();
      dark?.removeEventListener("change", onScheme);
      canvas.removeEventListener("pointerdown", onDown);
      canvas.removeEventListener("pointermove", onMove);
      canvas.removeEventListener("pointerup", onUp);
      canvas.removeEventListener("wheel", onWheel);
      if (frame.current !== undefined) cancelAnimationFrame(frame.current);
      frame.current = undefined;
    };
  }, [requestDraw]);

  /** Shows the box (world units) whole, centred, at most at zoom `maxFit`. */
  const fit = useCallback(
    (box: { width: number; height: number }, maxFit = 1) => {
      const canvas = canvasRef.current;
      if (!canvas) return;
      const width = canvas.clientWidth || 800;
      const height = canvas.clientHeight || 400;
      const pad = 16;
      const { minScale = 0.01 } = optionsRef.current;
      const scale = Math.max(
        minScale,
        Math.min(
          maxFit,
          (width - 2 * pad) / Math.max(1, box.width),
          (height - 2 * pad) / Math.max(1, box.height),
        ),
      );
      view.current = {
        scale,
        tx: (width - box.width * scale) / 2,
        ty: Math.max(pad, (height - box.height * scale) / 2),
      };
      requestDraw();
    },
    [requestDraw],
  );

  return { canvasRef, view, requestDraw, fit };
}
