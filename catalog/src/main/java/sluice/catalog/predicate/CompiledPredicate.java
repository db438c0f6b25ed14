package sluice.catalog.predicate;

/**
 * A predicate checked against a resource's schema and ready to evaluate. Immutable and
 * thread-safe; evaluation never throws for records of the resource it was compiled for.
 *
 * <p>Comparisons on an absent value are false (only {@code EXISTS} looks at absence), so
 * {@code NOT (x = 1)} is true when {@code x} is absent.
 */
@FunctionalInterface
public interface CompiledPredicate {
  boolean test(Record record);
}
