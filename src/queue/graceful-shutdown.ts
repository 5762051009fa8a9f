export interface Closeable {
  close(): Promise<unknown>;
}

export interface ShutdownOptions {
  /** How long in-flight jobs may take to finish before the process exits anyway. @defaultValue 25000 */
  deadlineMs?: number;
  /** @defaultValue `['SIGTERM', 'SIGINT']` */
  signals?: NodeJS.Signals[];
  /** Called with a Russian line when shutdown starts and ends. */
  onMessage?: (line: string) => void;
  /** What to do at the end. @defaultValue `process.exit` */
  exit?: (code: number) => void;
}

/**
 * Closes everything on SIGTERM/SIGINT, workers first: `worker.close()` stops fetching and waits
 * for active jobs but has no timeout of its own, so a deadline bounds it. Jobs still active at
 * the deadline keep their lock until it expires and are then picked up again by another worker
 * (stalled-job recovery); their deliveries are idempotent.
 */
export function installGracefulShutdown(closeables: Closeable[], options: ShutdownOptions = {}): () => void {
  const deadlineMs = options.deadlineMs ?? 25_000;
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let closing = false;
  const handler = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    options.onMessage?.(`Получен сигнал ${signal}: завершаю текущие задания (не дольше ${Math.round(deadlineMs / 1000)} с)…`);
    const timer = setTimeout(() => {
      options.onMessage?.('Срок ожидания истёк: выход без ожидания оставшихся заданий (они будут подхвачены другим обработчиком).');
      exit(1);
    }, deadlineMs);
    timer.unref();
    (async () => {
      for (const c of closeables) {
        try {
          await c.close();
        } catch {
          /* keep closing the rest */
        }
      }
      clearTimeout(timer);
      options.onMessage?.('Обработчик остановлен.');
      exit(0);
    })();
  };
  for (const s of signals) process.on(s, handler);
  return () => {
    for (const s of signals) process.off(s, handler);
  };
}
