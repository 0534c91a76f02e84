// Long work done in slices of about `sliceMs`, between which the event loop gets a turn (the
// extension host handles other events): a check of a long memo, a memo parsed anew, the cache
// written. The work asks `due()` between its steps (cheap: a clock reading) and, when it is,
// awaits `turn()`; nothing else runs between steps that are not due, not even microtasks.

export interface SliceControl {
  /** Milliseconds of work per slice (default 10). */
  sliceMs?: number;
  /** Asked after each turn: true when the work's result is no longer wanted, and it stops. */
  stale?: () => boolean;
  /** Told how long each slice held the thread, the last one included (see `end`). */
  onSlice?: (ms: number) => void;
}

export class Slices {
  private start = performance.now();
  private readonly sliceMs: number;

  constructor(private readonly control: SliceControl = {}) {
    this.sliceMs = control.sliceMs ?? 10;
  }

  /** Whether the slice's time is up. */
  due(): boolean {
    return performance.now() - this.start >= this.sliceMs;
  }

  /** Ends the slice, gives the event loop a turn and starts the next slice; false when the work went stale meanwhile. */
  async turn(): Promise<boolean> {
    this.control.onSlice?.(performance.now() - this.start);
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (this.control.stale?.()) return false;
    this.start = performance.now();
    return true;
  }

  /** Ends the last slice. */
  end(): void {
    this.control.onSlice?.(performance.now() - this.start);
  }
}
