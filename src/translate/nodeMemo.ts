/**
 * Values worked out from a parsed document, kept on its AST nodes: Yoga parses
 * each document once and caches it, so what depends only on the document (and a
 * few variants of it: variables, operation names) need not be worked out again
 * on every request. Entries go with their document.
 */
export class NodeMemo<Node extends object, Value> {
  private readonly byNode = new WeakMap<Node, Map<string, Value>>();

  /** `maxVariants`: distinct keys kept per node; past it the node's entries start over. */
  constructor(private readonly maxVariants = 32) {}

  get(node: Node, key: string, compute: () => Value): Value {
    let variants = this.byNode.get(node);
    if (!variants) {
      variants = new Map();
      this.byNode.set(node, variants);
    }
    if (variants.has(key)) return variants.get(key) as Value;
    const value = compute();
    if (variants.size >= this.maxVariants) variants.clear();
    variants.set(key, value);
    return value;
  }
}
