package sluice.gateway.audit;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import sluice.crypto.NodeId;
import sluice.v1.AuditEntry;
import sluice.v1.Decision;
import sluice.v1.FieldAccess;
import sluice.v1.GatewaySide;
import sluice.v1.PsiSession;
import sluice.v1.RequestContext;

/**
 * The audit record of one call (or one BatchVerify item) as it passes a gateway: facts are added
 * as the gateway learns them, and the call ends with exactly one entry, appended durably before
 * the gateway releases the answer or the refusal ({@link #released}).
 */
public final class AuditedCall {
  private final AuditTrail trail;
  private final AuditEntry.Builder entry;
  private final long startNanos;
  private final List<FieldAccess> fields = new ArrayList<>();

  AuditedCall(AuditTrail trail, String operation, RequestContext context, String resourceCode, String subjectKey,
      long startNanos) {
    this.trail = trail;
    this.startNanos = startNanos;
    this.entry =
        AuditEntry.newBuilder()
            .setGatewayNodeId(trail.self().toString())
            .setOperation(operation)
            .setResourceCode(bounded(resourceCode))
            .setPurposeCode(bounded(context.getPurposeCode()))
            .setCaseReference(bounded(context.getCaseReference()))
            .setRequestId(bounded(context.getRequestId()))
            .setSubjectPseudonym(trail.pseudonyms().of(subjectKey));
  }

  private AuditedCall(AuditedCall header, long seq, String subjectKey) {
    this.trail = header.trail;
    this.startNanos = System.nanoTime();
    this.entry = header.entry.clone().setBatchSeq(seq).setSubjectPseudonym(trail.pseudonyms().of(subjectKey));
    this.fields.addAll(header.fields);
  }

  /** Longest caller-given text an entry keeps whole; the gateway refuses longer, but records the attempt. */
  static final int MAX_TEXT = 256;
  /** Longest reason an entry keeps whole (reasons may quote what the caller sent). */
  static final int MAX_REASON = 4 * MAX_TEXT;

  /** {@code text} as an entry records it: whole up to {@link #MAX_TEXT} characters, else bounded. */
  static String bounded(String text) {
    return bounded(text, MAX_TEXT);
  }

  /**
   * {@code text} whole up to {@code max} characters, else its start and its length, so that a
   * refused oversized request cannot fill the log.
   */
  static String bounded(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max) + "…(" + text.length() + " characters)";
  }

  /** The record of one item of a BatchVerify stream this call is the header of. */
  public AuditedCall item(long seq, String subjectKey) {
    return new AuditedCall(this, seq, subjectKey);
  }

  /** The route: who asks, whose resource, and where this gateway stands between them. */
  public AuditedCall route(NodeId consumer, NodeId provider, NodeId peer, NodeId next, String requestId) {
    entry.setConsumerNodeId(consumer.toString())
        .setProviderNodeId(provider.toString())
        .setRequestId(bounded(requestId))
        .setSide(
            next.isDepartment() ? GatewaySide.PROVIDER_SIDE
                : peer.isDepartment() ? GatewaySide.CONSUMER_SIDE : GatewaySide.TRANSIT);
    return this;
  }

  /** The caller, when the call is refused before its route is known. */
  public AuditedCall caller(String consumer) {
    entry.setConsumerNodeId(bounded(consumer));
    return this;
  }

  public AuditedCall catalog(long snapshotVersion, long entryVersion) {
    entry.setCatalogVersion(snapshotVersion).setResourceVersion(entryVersion);
    return this;
  }

  public AuditedCall grant(String grantId) {
    entry.setGrantId(grantId == null ? "" : grantId);
    return this;
  }

  /** A field the call touches, and the mask it leaves under (empty when it does not leave). */
  public AuditedCall field(String name, String mask) {
    fields.add(FieldAccess.newBuilder().setName(bounded(name)).setMask(mask).build());
    return this;
  }

  /** The department sent {@code name} otherwise than ordered: it was withheld. */
  public synchronized AuditedCall withheld(String name, String why) {
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).getName().equals(name)) {
        fields.set(i, fields.get(i).toBuilder().setWithheld(true).setWithheldReason(why).build());
        return this;
      }
    }
    fields.add(FieldAccess.newBuilder().setName(name).setWithheld(true).setWithheldReason(why).build());
    return this;
  }

  /** The masking key the department reported for a field that left. */
  public synchronized AuditedCall keyUsed(String name, String keyId) {
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).getName().equals(name)) {
        fields.set(i, fields.get(i).toBuilder().setKeyId(keyId).build());
      }
    }
    return this;
  }

  /** What an aggregation concerned (several providers, so none is named as the provider). */
  public synchronized AuditedCall aggregate(sluice.v1.AggregateFacts facts) {
    entry.setAggregate(facts).clearProviderNodeId();
    return this;
  }

  /** The public facts of an intersection session, as they stand; later calls replace them. */
  public synchronized AuditedCall psi(PsiSession session) {
    entry.setPsi(session);
    return this;
  }

  /**
   * Records that a session was admitted and starts (PERMIT, status "ADMITTED"); its end is
   * recorded by a second entry ({@link #ended} or {@link #failed}).
   */
  public CompletableFuture<Void> admitted() {
    return append(Decision.PERMIT, "ADMITTED", "", null);
  }

  /** Records that a session ended as it should (PERMIT, "OK"). */
  public CompletableFuture<Void> ended() {
    return append(Decision.PERMIT, "OK", "", null);
  }

  /** Records the answer as released ({@link AnswerDigest}); durable when the future completes. */
  public CompletableFuture<Void> answered(com.google.protobuf.MessageLite answer) {
    return append(Decision.PERMIT, "OK", "", answer);
  }

  /** Records a refusal or failure, by this gateway or relayed from further on. */
  public CompletableFuture<Void> failed(Throwable t) {
    Status s = Status.fromThrowable(t);
    return append(decision(s.getCode()), s.getCode().name(), String.valueOf(s.getDescription()), null);
  }

  /** Records an item error a node further on answered (a google.rpc.Code value and message). */
  public CompletableFuture<Void> itemFailed(int code, String message, com.google.protobuf.MessageLite answer) {
    Status.Code c = Status.fromCodeValue(code).getCode();
    return append(decision(c), c.name(), message, answer);
  }

  private synchronized CompletableFuture<Void> append(Decision decision, String status, String reason,
      com.google.protobuf.MessageLite answer) {
    Instant now = trail.clock().instant();
    entry.setTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
        .setDecision(decision)
        .setStatus(status)
        .setReason(bounded(reason, MAX_REASON))
        .clearFields()
        .addAllFields(fields)
        .setLatencyMicros(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - startNanos));
    if (answer != null) {
      entry.setAnswerDigest(ByteString.copyFrom(AnswerDigest.of(answer)));
    }
    return trail.log().append(entry.build()).thenApply(i -> (Void) null);
  }

  /**
   * Runs {@code release} once the entry is durable, on the release executor; when the log could
   * not write, {@code refuse} gets the UNAVAILABLE status instead and nothing is released.
   */
  public void released(CompletableFuture<Void> durable, Runnable release, java.util.function.Consumer<StatusRuntimeException> refuse) {
    durable.whenCompleteAsync(
        (ok, err) -> {
          if (err == null) {
            release.run();
          } else {
            refuse.accept(
                Status.UNAVAILABLE
                    .withDescription(trail.self() + " cannot write its audit log, so it answers nothing: "
                        + (err.getCause() != null ? err.getCause().getMessage() : err.getMessage()))
                    .asRuntimeException());
          }
        },
        trail.release());
  }

  private static Decision decision(Status.Code code) {
    return switch (code) {
      case OK -> Decision.PERMIT;
      case PERMISSION_DENIED, FAILED_PRECONDITION, RESOURCE_EXHAUSTED, INVALID_ARGUMENT, NOT_FOUND,
          UNAUTHENTICATED, OUT_OF_RANGE, ALREADY_EXISTS, ABORTED -> Decision.DENY;
      default -> Decision.FAILED;
    };
  }
}
