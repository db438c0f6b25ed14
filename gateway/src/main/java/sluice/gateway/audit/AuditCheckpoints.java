package sluice.gateway.audit;

import com.google.protobuf.ByteString;
import com.google.rpc.ErrorInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import sluice.crypto.merkle.Checkpoint;
import sluice.crypto.pki.SigningChains;
import sluice.crypto.note.SignedNote;
import sluice.v1.ConsistencyProof;
import sluice.v1.ExportHeader;
import sluice.v1.FederationServiceGrpc;
import sluice.v1.WitnessRequest;

/**
 * Keeps a gateway's audit log checkpointed: each run signs a checkpoint when entries were added
 * since the last, and (for a provincial gateway) has the national hub witness the newest one not
 * yet witnessed; it also seals and archives the log's segments when due. Run it every second or
 * so; a failed witness call is retried on the next run.
 */
public final class AuditCheckpoints implements Runnable {
  private static final System.Logger LOG = System.getLogger(AuditCheckpoints.class.getName());

  private final AuditLog log;
  private final FederationServiceGrpc.FederationServiceBlockingStub hub;
  private final List<ByteString> chain;
  private final ExportHeader header;
  private final Clock clock;
  private long lastWarning;

  /**
   * @param hub the national hub, or null for a log nobody witnesses (the hub's own)
   * @param header what the log's archived segments say of it (origin, keys)
   */
  public AuditCheckpoints(
      AuditLog log, FederationServiceGrpc.FederationServiceBlockingStub hub, List<X509Certificate> signingChain,
      ExportHeader header, Clock clock) {
    this.log = log;
    this.hub = hub;
    this.chain = SigningChains.encode(signingChain).stream().map(ByteString::copyFrom).toList();
    this.header = header;
    this.clock = clock;
  }

  @Override
  public void run() {
    try {
      log.maintain(clock.instant(), header);
    } catch (IOException | RuntimeException e) {
      warn("segments not sealed or archived: " + e.getMessage());
    }
    try {
      SignedNote latest = log.checkpoint();
      if (hub == null || latest == null) {
        return;
      }
      SignedNote witnessed = log.witnessedCheckpoint();
      long size = Checkpoint.parse(latest.text()).size();
      long from = witnessed == null ? 0 : Checkpoint.parse(witnessed.text()).size();
      if (witnessed != null && from >= size) {
        return;
      }
      try {
        log.witnessed(witness(latest, from, size));
      } catch (StatusRuntimeException e) {
        long hubSize = witnessedSize(e);
        if (hubSize < 0 || hubSize > size) {
          throw e;
        }
        log.witnessed(witness(latest, hubSize, size));
      }
    } catch (IOException | RuntimeException e) {
      warn("checkpoint not witnessed yet: " + e.getMessage());
    }
  }

  /** Logs a warning, at most one a minute. */
  private void warn(String message) {
    long now = System.nanoTime();
    if (now - lastWarning > TimeUnit.MINUTES.toNanos(1) || lastWarning == 0) {
      lastWarning = now;
      LOG.log(System.Logger.Level.WARNING, log.origin() + ": " + message);
    }
  }

  private SignedNote witness(SignedNote note, long from, long size) {
    ConsistencyProof.Builder proof = ConsistencyProof.newBuilder().setFirstSize(from).setSecondSize(size);
    log.consistencyProof(from, size).forEach(h -> proof.addHashes(ByteString.copyFrom(h)));
    String cosigned =
        hub.withDeadlineAfter(5, TimeUnit.SECONDS)
            .witnessCheckpoint(
                WitnessRequest.newBuilder()
                    .setCheckpoint(sluice.v1.Checkpoint.newBuilder().setNote(note.format()))
                    .setProof(proof)
                    .addAllSignerChain(chain)
                    .setTreeHash(log.hash().name())
                    .build())
            .getNote();
    SignedNote back = SignedNote.parse(cosigned);
    if (!back.text().equals(note.text())) {
      throw new IllegalStateException("the hub returned a different checkpoint than it was given");
    }
    return back;
  }

  /** The size the hub says it witnessed, from an ABORTED refusal; -1 otherwise. */
  private static long witnessedSize(StatusRuntimeException e) {
    com.google.rpc.Status s = StatusProto.fromThrowable(e);
    if (s == null) {
      return -1;
    }
    for (com.google.protobuf.Any d : s.getDetailsList()) {
      if (d.is(ErrorInfo.class)) {
        try {
          String v = d.unpack(ErrorInfo.class).getMetadataOrDefault("witnessed_size", "");
          return v.isEmpty() ? -1 : Long.parseLong(v);
        } catch (com.google.protobuf.InvalidProtocolBufferException | NumberFormatException ex) {
          return -1;
        }
      }
    }
    return -1;
  }
}
