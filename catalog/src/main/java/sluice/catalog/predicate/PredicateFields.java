package sluice.catalog.predicate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import sluice.v1.Predicate;

/** The fields a predicate touches, which a grant must cover. */
public final class PredicateFields {
  private PredicateFields() {}

  /** Distinct field names in the order they first appear (bounded by {@code limits}). */
  public static List<String> of(Predicate predicate, PredicateLimits limits) throws InvalidPredicateException {
    Set<String> out = new LinkedHashSet<>();
    collect(predicate, 1, limits, out);
    return new ArrayList<>(out);
  }

  private static void collect(Predicate p, int depth, PredicateLimits limits, Set<String> out)
      throws InvalidPredicateException {
    if (depth > limits.maxDepth()) {
      throw new InvalidPredicateException("predicate: nested deeper than " + limits.maxDepth() + " levels");
    }
    switch (p.getNodeCase()) {
      case COMPARISON:
        out.add(p.getComparison().getField());
        break;
      case ALL:
        for (Predicate q : p.getAll().getOperandsList()) {
          collect(q, depth + 1, limits, out);
        }
        break;
      case ANY:
        for (Predicate q : p.getAny().getOperandsList()) {
          collect(q, depth + 1, limits, out);
        }
        break;
      case NOT:
        collect(p.getNot(), depth + 1, limits, out);
        break;
      default:
        break;
    }
  }
}
