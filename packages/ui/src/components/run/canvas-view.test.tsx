// @vitest-environment happy-dom
import { act, useEffect } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { render } from "../../lib/render.test-helper.js";
import { useCanvasView, type DrawFrame } from "./canvas-view.js";

/** The ResizeObserver callbacks the hook registered; the test plays the browser's notices. */
let notify: (() => void)[] = [];
class FakeResizeObserver {
  constructor(private readonly callback: () => void) {}
  observe() {
    notify.push(() => this.callback());
  }
  disconnect() {}
}

function Probe({ draw }: { draw: (frame: DrawFrame) => void }) {
  const { canvasRef, requestDraw } = useCanvasView({ draw });
  useEffect(() => requestDraw(), [requestDraw]);
  return <canvas ref={canvasRef} data-testid="probe" />;
}

const nextFrame = () => act(() => new Promise((resolve) => requestAnimationFrame(() => resolve(undefined))));

afterEach(() => {
  vi.unstubAllGlobals();
  notify = [];
});

describe("useCanvasView", () => {
  it("paints again when the canvas's size changes, not for a resize notice that changes nothing", async () => {
    vi.stubGlobal("ResizeObserver", FakeResizeObserver);
    let width = 800;
    const sizes: number[] = [];
    // happy-dom lays nothing out and has no 2D context: the canvas's size and context are given here.
    Object.defineProperty(HTMLCanvasElement.prototype, "clientWidth", {
      configurable: true,
      get: () => width,
    });
    Object.defineProperty(HTMLCanvasElement.prototype, "clientHeight", {
      configurable: true,
      get: () => 300,
    });
    vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockReturnValue({
      setTransform() {},
      clearRect() {},
    } as never);
    const { unmount } = render(<Probe draw={(frame) => sizes.push(frame.width)} />);
    try {
      await nextFrame();
      expect(sizes).toEqual([800]);
      // The notice a ResizeObserver gives when observing starts: the size painted already.
      notify.forEach((n) => n());
      await nextFrame();
      await nextFrame();
      expect(sizes).toEqual([800]);
      width = 600;
      notify.forEach((n) => n());
      await nextFrame();
      expect(sizes).toEqual([800, 600]);
    } finally {
      unmount();
      vi.restoreAllMocks();
      delete (HTMLCanvasElement.prototype as { clientWidth?: number }).clientWidth;
      delete (HTMLCanvasElement.prototype as { clientHeight?: number }).clientHeight;
    }
  });
});
