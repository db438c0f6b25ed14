package sluice.gateway.audit;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Executor;
import sluice.crypto.NodeId;
import sluice.v1.RequestContext;

/**
 * What a gateway needs to audit its calls: its log, the subject pseudonym key, a clock, and the
 * executor that releases answers once their entries are durable (never the log's writer thread).
 */
public final class AuditTrail {
  private final NodeId self;
  private final AuditLog log;
  private final SubjectPseudonyms pseudonyms;
  private final Clock clock;
  private final Executor release;

  public AuditTrail(NodeId self, AuditLog log, SubjectPseudonyms pseudonyms, Clock clock, Executor release) {
    this.self = Objects.requireNonNull(self);
    this.log = Objects.requireNonNull(log);
    this.pseudonyms = Objects.requireNonNull(pseudonyms);
    this.clock = Objects.requireNonNull(clock);
    this.release = Objects.requireNonNull(release);
  }

  /** Starts the record of one call arriving now. */
  public AuditedCall begin(String operation, RequestContext context, String resourceCode, String subjectKey) {
    return new AuditedCall(this, operation, context, resourceCode, subjectKey, System.nanoTime());
  }

  public AuditLog log() {
    return log;
  }

  NodeId self() {
    return self;
  }

  SubjectPseudonyms pseudonyms() {
    return pseudonyms;
  }

  Clock clock() {
    return clock;
  }

  Executor release() {
    return release;
  }
}
