// Per-key debouncing, and async tasks run one at a time.

export class Debouncer {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  /** Runs `fn` after `delay` ms unless another run for `key` is asked for meanwhile (which replaces it). */
  run(key: string, delay: number, fn: () => void): void {
    this.cancel(key);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        fn();
      }, delay),
    );
  }

  cancel(key: string): void {
    const previous = this.timers.get(key);
    if (previous) clearTimeout(previous);
    this.timers.delete(key);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}

/**
 * An async task run one at a time: asked for while it runs, it runs once more after (however many
 * times it was asked meanwhile), so that the last run reads the latest state.
 */
export class SerialTask {
  /** The run under way (and the ones it owes), undefined between runs. */
  running: Promise<void> | undefined;
  private again = false;

  constructor(private readonly task: () => Promise<void>) {}

  run(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.task();
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    })();
  }
}
