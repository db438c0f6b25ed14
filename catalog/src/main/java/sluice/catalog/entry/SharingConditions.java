package sluice.catalog.entry;

import java.util.List;

/**
 * 共享条件 of a conditional resource.
 *
 * @param allowedPurposes purpose codes a grant may name
 * @param allowedConsumerKinds kinds of organisation that may be granted access
 * @param needsApproval whether each access request needs the steward's decision
 * @param rowCap most records one consumer may touch per day under one grant; 0 for no cap
 */
public record SharingConditions(
    List<String> allowedPurposes,
    List<ConsumerKind> allowedConsumerKinds,
    boolean needsApproval,
    long rowCap) {

  public static final SharingConditions NONE = new SharingConditions(List.of(), List.of(), false, 0);

  public SharingConditions {
    allowedPurposes = allowedPurposes == null ? List.of() : List.copyOf(allowedPurposes);
    allowedConsumerKinds = allowedConsumerKinds == null ? List.of() : List.copyOf(allowedConsumerKinds);
  }
}
