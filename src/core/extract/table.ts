/**
 * A word → value table without a prototype: looking up a word of the text ("constructor",
 * "toString", "__proto__") must find nothing rather than Object's members.
 */
export function lookupTable<T>(entries: Record<string, T>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}
