package sluice.catalog.predicate;

/**
 * One subject's record as a predicate sees it: typed values by field position (the order of the
 * resource's fields). A null value is an absent one.
 */
@FunctionalInterface
public interface Record {
  /** The typed value of the field at {@code index}, or null when absent. */
  Comparable<?> value(int index);
}
