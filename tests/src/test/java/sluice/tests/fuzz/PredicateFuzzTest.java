package sluice.tests.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.file.Path;
import java.util.List;
import sluice.catalog.ResourceDescriptor;
import sluice.catalog.entry.CatalogueEntries;
import sluice.catalog.predicate.CompiledPredicate;
import sluice.catalog.predicate.InvalidPredicateException;
import sluice.catalog.predicate.PredicateCompiler;
import sluice.catalog.predicate.PredicateFields;
import sluice.catalog.predicate.PredicateLimits;
import sluice.catalog.predicate.Record;
import sluice.v1.Predicate;

/**
 * Predicates arrive as bytes from any consumer: each is unreadable (refused before it is
 * looked at), refused with an {@link InvalidPredicateException} (INVALID_ARGUMENT) by the
 * gateway's field check or the department's compiler, or compiled; and a compiled predicate is
 * evaluated against records of every shape, absent values included, without throwing.
 */
class PredicateFuzzTest {
  private static final ResourceDescriptor RESOURCE = example();
  private static final PredicateCompiler COMPILER = new PredicateCompiler(RESOURCE, PredicateLimits.DEFAULT);
  private static final List<Record> RECORDS = List.of(
      i -> switch (i) {
        case 0 -> "440106199001011234";
        case 1 -> "张三";
        case 2 -> Boolean.TRUE;
        default -> 8000L;
      },
      i -> switch (i) {
        case 0 -> "";
        case 2 -> Boolean.FALSE;
        case 3 -> Long.MIN_VALUE;
        default -> null;
      },
      i -> null);

  private static ResourceDescriptor example() {
    try {
      return CatalogueEntries.read(Path.of("../docs/examples/catalogue-entry.yaml")).descriptor();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @FuzzTest(maxDuration = "10s")
  void predicateIsUnreadableRefusedOrEvaluated(byte[] input) {
    Predicate predicate;
    try {
      predicate = Predicate.parseFrom(input);
    } catch (InvalidProtocolBufferException unreadable) {
      return;
    }
    CompiledPredicate compiled;
    try {
      List<String> fields = PredicateFields.of(predicate, PredicateLimits.DEFAULT);
      compiled = COMPILER.compile(predicate);
      for (String f : fields) {
        if (RESOURCE.fields().stream().noneMatch(s -> s.name().equals(f))) {
          throw new AssertionError("compiled a predicate on " + f + ", which the resource does not have");
        }
      }
    } catch (InvalidPredicateException refused) {
      if (refused.getMessage() == null || refused.getMessage().isBlank()) {
        throw new AssertionError("a refusal without a message for " + predicate);
      }
      return;
    }
    for (Record r : RECORDS) {
      compiled.test(r);
    }
  }
}
