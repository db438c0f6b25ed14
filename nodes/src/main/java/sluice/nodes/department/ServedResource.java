package sluice.nodes.department;

import java.util.Optional;
import sluice.catalog.ResourceDescriptor;
import sluice.catalog.predicate.CompiledPredicate;
import sluice.catalog.predicate.InvalidPredicateException;
import sluice.catalog.predicate.PredicateCompiler;
import sluice.catalog.predicate.PredicateLimits;
import sluice.catalog.predicate.Record;
import sluice.v1.Answer;
import sluice.v1.Predicate;

/** One resource a department node serves: its description and its records. Thread-safe. */
public final class ServedResource {
  private final ResourceDescriptor descriptor;
  private final RecordStore records;
  private final PredicateCompiler compiler;

  /**
   * The resource {@code code} of {@code served}, as node {@code self} serves them.
   *
   * @throws io.grpc.StatusRuntimeException NOT_FOUND when the node does not serve it
   */
  static ServedResource of(java.util.Map<String, ServedResource> served, String code, sluice.crypto.NodeId self) {
    ServedResource r = served.get(code);
    if (r == null) {
      throw io.grpc.Status.NOT_FOUND.withDescription("resource " + code + " is not served by " + self).asRuntimeException();
    }
    return r;
  }

  public ServedResource(ResourceDescriptor descriptor, RecordStore records, PredicateLimits limits) {
    this.descriptor = descriptor;
    this.records = records;
    this.compiler = new PredicateCompiler(descriptor, limits);
  }

  public ResourceDescriptor descriptor() {
    return descriptor;
  }

  public RecordStore records() {
    return records;
  }

  /** {@code predicate} checked against this resource's fields and ready to test records. */
  public CompiledPredicate compile(Predicate predicate) throws InvalidPredicateException {
    return compiler.compile(predicate);
  }

  /**
   * Answers {@code predicate} about {@code subjectKey}. The predicate is checked first, so a
   * malformed one is refused the same way whether or not the subject has a record.
   */
  public Answer answer(String subjectKey, Predicate predicate) throws InvalidPredicateException {
    return answer(subjectKey, predicate, r -> true);
  }

  /**
   * As {@link #answer(String, Predicate)}, with a record {@code reachable} rejects answered as
   * NO_RECORD (a grant limited to some rows).
   */
  public Answer answer(String subjectKey, Predicate predicate, java.util.function.Predicate<Record> reachable)
      throws InvalidPredicateException {
    CompiledPredicate compiled = compiler.compile(predicate);
    Optional<Record> record = records.find(subjectKey).filter(reachable);
    if (record.isEmpty()) {
      return Answer.NO_RECORD;
    }
    return compiled.test(record.get()) ? Answer.TRUE : Answer.FALSE;
  }
}
