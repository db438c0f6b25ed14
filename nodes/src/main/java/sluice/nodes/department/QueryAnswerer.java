package sluice.nodes.department;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import sluice.catalog.entry.Mask;
import sluice.catalog.entry.SemanticType;
import sluice.catalog.mask.MaskKey;
import sluice.catalog.mask.MaskKeys;
import sluice.catalog.mask.Masker;
import sluice.catalog.predicate.Record;
import sluice.catalog.predicate.TypedValues;
import sluice.crypto.NodeId;
import sluice.v1.Answer;
import sluice.v1.FieldObligation;
import sluice.v1.FieldValue;
import sluice.v1.MaskObligation;

/**
 * Reads the fields a Query's masking obligation names from one record and masks each as ordered,
 * under the consumer's keys, inside the department node: no value leaves unmasked unless its
 * order is CLEAR. A value the mask cannot take (malformed data) is withheld, not half-masked.
 * Thread-safe.
 */
final class QueryAnswerer {
  private static final System.Logger LOG = System.getLogger(QueryAnswerer.class.getName());

  private final NodeId self;
  private final MaskKeys keys;
  private final Masker masker;

  QueryAnswerer(NodeId self, MaskKeys keys, Masker masker) {
    this.self = self;
    this.keys = keys;
    this.masker = masker;
  }

  /** The answer (TRUE when the record exists, NO_RECORD otherwise) and the masked fields. */
  record Answered(Answer answer, List<FieldValue> fields) {}

  Answered answer(ServedResource resource, String subjectKey, MaskObligation obligation, NodeId consumer, Scope scope) {
    Optional<Record> found = resource.records().find(subjectKey).filter(r -> scope.reaches(resource, r));
    if (found.isEmpty()) {
      return new Answered(Answer.NO_RECORD, List.of());
    }
    MaskKey key = keys.forConsumer(consumer);
    List<FieldValue> out = new ArrayList<>();
    for (FieldObligation order : obligation.getFieldsList()) {
      int index = resource.descriptor().indexOf(order.getName());
      Comparable<?> value = index < 0 ? null : found.get().value(index);
      if (value == null) {
        continue;
      }
      Mask mask = Mask.valueOf(order.getMask());
      Optional<String> masked;
      try {
        masked = masker.apply(mask, SemanticType.valueOf(order.getSemanticType()), TypedValues.text(value), key);
      } catch (IllegalArgumentException e) {
        LOG.log(System.Logger.Level.WARNING,
            self + ": withheld field " + order.getName() + " of " + resource.descriptor().code() + " from " + consumer
                + ": " + e.getMessage());
        continue;
      }
      masked.ifPresent(
          v ->
              out.add(
                  FieldValue.newBuilder()
                      .setName(order.getName())
                      .setValue(v)
                      .setMask(mask.name())
                      .setKeyId(keyed(mask) ? key.id() : "")
                      .build()));
    }
    return new Answered(Answer.TRUE, out);
  }

  private static boolean keyed(Mask mask) {
    return switch (mask) {
      case PSEUDONYM, CHECKSUM_PSEUDONYM, FPE, ENCRYPT -> true;
      default -> false;
    };
  }
}
