/** What reflect-metadata adds to the global Reflect (Nest loads it before any decorator runs). */
interface ReflectMetadata {
  getMetadataKeys(target: object): unknown[];
  getMetadata(key: unknown, target: object): unknown;
  defineMetadata(key: unknown, value: unknown, target: object): void;
}

/** The global Reflect's metadata functions, or undefined when reflect-metadata is not loaded. */
function reflectMetadata(): ReflectMetadata | undefined {
  const r = Reflect as unknown as Partial<ReflectMetadata>;
  return typeof r.getMetadataKeys === 'function' && typeof r.getMetadata === 'function' && typeof r.defineMetadata === 'function'
    ? (r as ReflectMetadata)
    : undefined;
}

/** True when metadata can be copied (`copyMetadata` would succeed). */
export function canCopyMetadata(): boolean {
  return reflectMetadata() !== undefined;
}

/**
 * Gives `to` the decorator metadata of `from` (guards, interceptors, `@SetMetadata` ...):
 * Nest and the app's guards read it from the handler they are given (`context.getHandler()`),
 * which is the wrapper once it stands in for the controller's method.
 */
export function copyMetadata(from: object, to: object): void {
  const reflect = reflectMetadata();
  if (reflect === undefined) throw new TypeError('reflect-metadata is not loaded');
  for (const key of reflect.getMetadataKeys(from)) reflect.defineMetadata(key, reflect.getMetadata(key, from), to);
}
