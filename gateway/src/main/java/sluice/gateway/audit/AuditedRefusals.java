package sluice.gateway.audit;

import com.google.protobuf.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import sluice.crypto.NodeId;
import sluice.gateway.identity.RefusalAudit;
import sluice.v1.AuditEntry;
import sluice.v1.Decision;

/**
 * A gateway's audit of attempts refused before its services saw them, each as a DENY entry with
 * the status and reason: client certificates refused in a TLS handshake (operation "Handshake"),
 * calls refused UNAUTHENTICATED, and authenticated callers' requests that could not be read
 * (INVALID_ARGUMENT; operation the method's name). Attempts without an identity cost an attacker
 * nothing, so at most {@code perSecond} of those are recorded one by one in any second; the rest
 * are counted, and {@link #flush} (run once a second) records how many there were and the last
 * one's reason in one entry, so that none goes unrecorded. Unreadable requests come from a known
 * caller and are all recorded. Texts are bounded as in {@link AuditedCall}.
 */
public final class AuditedRefusals implements RefusalAudit {
  private static final System.Logger LOG = System.getLogger(AuditedRefusals.class.getName());
  private final NodeId self;
  private final AuditLog log;
  private final Clock clock;
  private final int perSecond;
  private long second = Long.MIN_VALUE;
  private int recorded;
  private long surplus;
  private String lastSurplus = "";

  public AuditedRefusals(NodeId self, AuditLog log, Clock clock, int perSecond) {
    if (perSecond < 1) {
      throw new IllegalArgumentException("perSecond must be at least 1, not " + perSecond);
    }
    this.self = self;
    this.log = log;
    this.clock = clock;
    this.perSecond = perSecond;
  }

  @Override
  public void refused(String reason) {
    unauthenticated("Handshake", "", "TLS handshake refused: " + reason).exceptionally(e -> {
      LOG.log(System.Logger.Level.WARNING, self + " could not audit a refused handshake: " + e.getMessage());
      return null;
    });
  }

  @Override
  public CompletableFuture<Void> unreadable(String operation, String caller, String reason) {
    return append(clock.instant(), operation, caller, "INVALID_ARGUMENT", reason);
  }

  @Override
  public CompletableFuture<Void> unauthenticated(String operation, String caller, String reason) {
    Instant now = clock.instant();
    synchronized (this) {
      long s = now.getEpochSecond();
      if (s != second) {
        second = s;
        recorded = 0;
      }
      if (recorded >= perSecond) {
        surplus++;
        lastSurplus = operation + " from " + (caller.isEmpty() ? "an unknown peer" : caller) + ": " + reason;
        return CompletableFuture.completedFuture(null);
      }
      recorded++;
    }
    return append(now, operation, caller, "UNAUTHENTICATED", reason);
  }

  /** Records the refusals over the limit since the last flush, if any, in one entry. */
  public void flush() {
    long n;
    String last;
    synchronized (this) {
      n = surplus;
      last = lastSurplus;
      surplus = 0;
    }
    if (n > 0) {
      append(clock.instant(), "Refusals", "", "UNAUTHENTICATED",
          n + " more attempts were refused before authentication than the " + perSecond
              + " a second audited one by one; the last: " + last);
    }
  }

  private CompletableFuture<Void> append(Instant now, String operation, String caller, String status, String reason) {
    AuditEntry entry = AuditEntry.newBuilder()
        .setGatewayNodeId(self.toString())
        .setOperation(operation)
        .setConsumerNodeId(AuditedCall.bounded(caller))
        .setDecision(Decision.DENY)
        .setStatus(status)
        .setReason(AuditedCall.bounded(reason, AuditedCall.MAX_REASON))
        .setTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
        .build();
    return log.append(entry).thenApply(i -> (Void) null);
  }
}
