import type { TextMapGetter, TextMapSetter } from '../../src/instrument';

/** What the propagators need of a grpc-js Metadata. */
export interface MetadataLike {
  get(key: string): Array<string | Buffer>;
  set(key: string, value: string): void;
  getMap(): Record<string, unknown>;
  clone(): MetadataLike;
}

/** Writes propagation fields into a call's metadata (sent as HTTP/2 headers). */
export const metadataSetter: TextMapSetter<MetadataLike> = {
  set(metadata, key, value) {
    metadata.set(key, value);
  },
};

/** Reads propagation fields from a call's metadata: the first text value of a key. */
export const metadataGetter: TextMapGetter<MetadataLike> = {
  get(metadata, key) {
    const values = metadata.get(key);
    for (let i = 0; i < values.length; i++) if (typeof values[i] === 'string') return values[i] as string;
    return undefined;
  },
  keys(metadata) {
    return Object.keys(metadata.getMap());
  },
};

/** True for a grpc-js Metadata (of any loaded copy). */
export function isMetadata(v: unknown): v is MetadataLike {
  return v !== null && typeof v === 'object' && typeof (v as MetadataLike).getMap === 'function' && typeof (v as MetadataLike).clone === 'function';
}
