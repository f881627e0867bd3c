// The service context's long-lived resources (worker pools, search indexes ...): one instance per key, created on
// first use, closed in reverse order of creation when the services close. See ServiceContext.shared.
export class SharedResources {
  private readonly items = new Map<string, { value: unknown; close: (value: unknown) => Promise<void> | void }>();
  private closed = false;

  get<T>(key: string, create: () => T, close: (value: T) => Promise<void> | void): T {
    const hit = this.items.get(key);
    if (hit) return hit.value as T;
    if (this.closed) throw new Error(`services are closed; cannot create ${key}`);
    const value = create();
    this.items.set(key, { value, close: close as (value: unknown) => Promise<void> | void });
    return value;
  }

  /** Closes every resource, newest first; the first failure is rethrown after all were tried. */
  async close(): Promise<void> {
    this.closed = true;
    let first: unknown;
    for (const [key, r] of [...this.items].reverse()) {
      try {
        await r.close(r.value);
      } catch (err) {
        first ??= new Error(`closing ${key} failed: ${(err as Error).message}`, { cause: err });
      }
    }
    this.items.clear();
    if (first) throw first;
  }
}
