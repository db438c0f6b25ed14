package sluice.nodes.department;

import java.util.Optional;
import sluice.catalog.predicate.Record;

/**
 * A department's records of one resource, looked up by subject key. The data never leaves the
 * department node; only answers computed over it do. Implementations are thread-safe.
 */
public interface RecordStore {
  /** The record of {@code subjectKey}, typed in the order of the resource's fields. */
  Optional<Record> find(String subjectKey);

  /** Number of records held. */
  long size();

  /**
   * Calls {@code action} with every record and its subject key, in no particular order (a PSI
   * sender masks its keys; the records stay on the node).
   */
  void forEach(java.util.function.BiConsumer<String, Record> action);
}
