/**
 * The BullMQ key prefix of an installation (`EJSYNC_QUEUE_PREFIX`). Latin letters, digits, `_`, `.`,
 * `-`, and at most one Redis Cluster hash tag in braces (`{ejsync}`, `{ejsync}-test`): every key of
 * the installation — BullMQ's queues and the shared request gate — starts with the prefix, so with a
 * tag they all hash to one slot and BullMQ's multi-key scripts work on a cluster. On a cluster the
 * tag is required; on a single Redis it is allowed and changes nothing but the key names.
 */
const PREFIX = /^[A-Za-z0-9_.-]*(\{[A-Za-z0-9_.-]+\})?[A-Za-z0-9_.-]*$/;

/** The hash tag of a prefix (`{ejsync}` → `ejsync`), or null when it has none. */
export function hashTagOf(prefix: string): string | null {
  return /\{([^{}]+)\}/.exec(prefix)?.[1] ?? null;
}

/**
 * What is wrong with a queue prefix, in Russian for the operator (null: fine). With `cluster`
 * (`REDIS_CLUSTER_NODES` set) the prefix must carry a hash tag.
 */
export function queuePrefixProblem(prefix: string, options: { cluster?: boolean } = {}): string | null {
  if (prefix.length < 1 || prefix.length > 64) return 'длина от 1 до 64 символов';
  if (!PREFIX.test(prefix)) {
    return 'допустимы латинские буквы, цифры, «_», «.», «-» и не более одной метки кластера в фигурных скобках, например «{ejsync}»';
  }
  if (options.cluster && !hashTagOf(prefix)) {
    return `для Redis Cluster (задана REDIS_CLUSTER_NODES) префикс должен содержать метку в фигурных скобках, чтобы все ключи очередей попали в один слот: например EJSYNC_QUEUE_PREFIX={${prefix}}`;
  }
  return null;
}

/** Throws a Russian message naming `EJSYNC_QUEUE_PREFIX` when the prefix cannot be used (see {@link queuePrefixProblem}). */
export function assertQueuePrefix(prefix: string, options: { cluster?: boolean } = {}): void {
  const problem = queuePrefixProblem(prefix, options);
  if (problem) throw new Error(`Переменная окружения EJSYNC_QUEUE_PREFIX («${prefix}»): ${problem}`);
}
