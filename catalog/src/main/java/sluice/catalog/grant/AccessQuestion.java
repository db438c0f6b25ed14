package sluice.catalog.grant;

import java.time.Instant;
import java.util.List;
import sluice.catalog.entry.CatalogueEntry;
import sluice.catalog.entry.ConsumerKind;
import sluice.crypto.NodeId;

/**
 * Everything one policy decision looks at.
 *
 * @param fields the resource fields the call touches (the predicate's fields, or the fields a
 *     Query reads), in order
 * @param grants the consumer's grants for this resource, in force or not
 * @param usedToday subjects already asked about today under each grant id
 * @param operation what the call does: ask (Verify) or read (Query)
 */
public record AccessQuestion(
    NodeId consumer,
    ConsumerKind consumerKind,
    CatalogueEntry resource,
    String purpose,
    List<String> fields,
    List<Grant> grants,
    java.util.Map<String, Long> usedToday,
    Instant now,
    Operation operation) {

  /** A question about a Verify call. */
  public AccessQuestion(
      NodeId consumer,
      ConsumerKind consumerKind,
      CatalogueEntry resource,
      String purpose,
      List<String> fields,
      List<Grant> grants,
      java.util.Map<String, Long> usedToday,
      Instant now) {
    this(consumer, consumerKind, resource, purpose, fields, grants, usedToday, now, Operation.VERIFY);
  }

  public AccessQuestion {
    fields = List.copyOf(fields);
    grants = List.copyOf(grants);
    usedToday = java.util.Map.copyOf(usedToday);
  }
}
