package sluice.catalog.predicate;

/**
 * A predicate cannot be evaluated against a resource: unknown field, value of the wrong type,
 * wrong number of operands, or beyond the size limits. The message names the offending part by
 * its path in the predicate tree, e.g. {@code predicate.all[1].comparison: field "age" ...}.
 */
public final class InvalidPredicateException extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidPredicateException(String message) {
    super(message);
  }
}
