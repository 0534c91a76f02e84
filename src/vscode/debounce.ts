// Per-key debouncing: the last call for a key within the delay runs, once.

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
