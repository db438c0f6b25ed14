package sluice.catalog.predicate;

/**
 * Bounds on a predicate's size, so that no request can make a provider do unbounded work.
 *
 * @param maxDepth deepest nesting of all/any/not, counting the comparison
 * @param maxNodes total predicate nodes
 * @param maxValues values in one comparison (for IN)
 * @param maxStringLength characters in one string literal
 */
public record PredicateLimits(int maxDepth, int maxNodes, int maxValues, int maxStringLength) {
  public static final PredicateLimits DEFAULT = new PredicateLimits(16, 256, 1000, 1024);

  public PredicateLimits {
    if (maxDepth < 1 || maxNodes < 1 || maxValues < 1 || maxStringLength < 1) {
      throw new IllegalArgumentException("predicate limits must all be positive");
    }
  }
}
