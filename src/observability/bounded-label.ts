/** GraphQL names: what a well-formed operation name looks like (GraphQL spec, Names), capped in length. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;

/**
 * Maps label values a client chooses (a GraphQL operation name) onto a bounded set: the first
 * `maxDistinct` well-formed values are kept as they are, later new ones and malformed ones become
 * `overflow`, a missing one `empty`. Each distinct value is a Prometheus series held in memory
 * forever, so an unbounded label is a memory leak a client can drive.
 */
export function boundedLabel(opts: { readonly maxDistinct: number; readonly overflow: string; readonly empty: string }): (value: string | null | undefined) => string {
  const seen = new Set<string>();
  return (value) => {
    if (value === null || value === undefined || value === '') return opts.empty;
    if (seen.has(value)) return value;
    if (!NAME.test(value) || seen.size >= opts.maxDistinct) return opts.overflow;
    seen.add(value);
    return value;
  };
}
