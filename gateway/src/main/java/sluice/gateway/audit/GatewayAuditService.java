package sluice.gateway.audit;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import sluice.crypto.NodeId;
import sluice.crypto.Province;
import sluice.crypto.merkle.Checkpoint;
import sluice.crypto.note.SignedNote;
import sluice.gateway.identity.CallerIdentity;
import sluice.v1.AuditPage;
import sluice.v1.AuditQuery;
import sluice.v1.AuditRecord;
import sluice.v1.AuditServiceGrpc;
import sluice.v1.ConsistencyProof;
import sluice.v1.ConsistencyProofRequest;
import sluice.v1.ExportChunk;
import sluice.v1.ExportHeader;
import sluice.v1.ExportRequest;
import sluice.v1.GetCheckpointRequest;
import sluice.v1.InclusionProof;
import sluice.v1.InclusionProofRequest;
import sluice.v1.SubjectReportRequest;

/**
 * A gateway's AuditService: its log's entries (from the index), checkpoints, proofs and export.
 * For a gateway run as several instances sharing one index, queries answer for every instance's
 * log (each record names its instance), while checkpoints, proofs and export are of this
 * instance's own log.
 * Served to the gateway's own operators (its own certificate) and to the national hub; the hub's
 * subject report also asks every provincial gateway. Everyone else is refused.
 */
public final class GatewayAuditService extends AuditServiceGrpc.AuditServiceImplBase {
  private static final int DEFAULT_PAGE = 100;
  private static final int MAX_PAGE = 10_000;
  /** Pages are cut at about this many bytes of records, whatever page_size asks (a gRPC message is at most 4 MiB). */
  static final int PAGE_BYTES = 1 << 20;

  private final NodeId self;
  private final AuditLog log;
  private final AuditIndex index;
  private final ExportHeader header;
  private final Function<NodeId, Channel> gateways;

  /**
   * @param header what an export bundle starts with (origin, keys)
   * @param gateways at the hub, channels to the provincial gateways for subject reports; else null
   */
  public GatewayAuditService(NodeId self, AuditLog log, AuditIndex index, ExportHeader header,
      Function<NodeId, Channel> gateways) {
    this.self = self;
    this.log = log;
    this.index = index;
    this.header = header;
    this.gateways = gateways;
  }

  private void admit() {
    NodeId peer = CallerIdentity.peer();
    if (!peer.equals(self) && !peer.isHub()) {
      throw Status.PERMISSION_DENIED
          .withDescription(self + " serves its audit log to its own operators and the national hub only; caller is " + peer)
          .asRuntimeException();
    }
  }

  @Override
  public void queryEntries(AuditQuery q, StreamObserver<AuditPage> out) {
    try {
      admit();
      int page = q.getPageSize() == 0 ? DEFAULT_PAGE : q.getPageSize();
      if (page > MAX_PAGE) {
        throw Status.INVALID_ARGUMENT.withDescription("page_size is at most " + MAX_PAGE).asRuntimeException();
      }
      AuditIndex.Cursor after = AuditIndex.Cursor.START;
      if (!q.getPageToken().isEmpty()) {
        after = cursor(q.getPageToken());
      }
      if (q.hasFrom() && q.hasTo() && micros(q.getTo()) <= micros(q.getFrom())) {
        throw Status.INVALID_ARGUMENT.withDescription("to must be after from").asRuntimeException();
      }
      AuditIndex.Filter f = filter(q);
      long left = q.getMaxRecords() == 0 ? Long.MAX_VALUE : q.getMaxRecords();
      ServerCallStreamObserver<AuditPage> stream = (ServerCallStreamObserver<AuditPage>) out;
      while (left > 0) {
        int want = (int) Math.min(page, left);
        List<AuditRecord> records = index.query(f, after, want);
        if (records.isEmpty()) {
          break;
        }
        after = AuditIndex.after(records.get(records.size() - 1));
        left -= records.size();
        boolean more = records.size() == want;
        // A page is also cut at PAGE_BYTES, so that pages of large entries stay well inside a
        // gRPC message; each page's token resumes after its last record.
        int from = 0;
        while (from < records.size()) {
          int to = from;
          long bytes = 0;
          while (to < records.size() && (to == from || bytes + records.get(to).getSerializedSize() <= PAGE_BYTES)) {
            bytes += records.get(to).getSerializedSize();
            to++;
          }
          boolean last = to == records.size() && !more;
          awaitReady(stream);
          if (stream.isCancelled()) {
            return;
          }
          out.onNext(AuditPage.newBuilder().addAllRecords(records.subList(from, to))
              .setNextPageToken(last ? "" : token(AuditIndex.after(records.get(to - 1)))).build());
          from = to;
        }
        if (!more) {
          break;
        }
      }
      out.onCompleted();
    } catch (StatusRuntimeException e) {
      out.onError(e);
    } catch (SQLException e) {
      out.onError(Status.UNAVAILABLE.withDescription(self + ": the audit index cannot be read: " + e.getMessage())
          .asRuntimeException());
    }
  }

  /** A page token: where the next page starts ({@code LOG#INDEX}). */
  private static String token(AuditIndex.Cursor c) {
    return c.log() + "#" + c.index();
  }

  private static AuditIndex.Cursor cursor(String token) {
    int hash = token.lastIndexOf('#');
    try {
      if (hash > 0) {
        LogName.fromKey(token.substring(0, hash));
        return new AuditIndex.Cursor(token.substring(0, hash), Long.parseLong(token.substring(hash + 1)));
      }
    } catch (IllegalArgumentException e) {
      // falls through
    }
    throw Status.INVALID_ARGUMENT.withDescription("page_token \"" + token + "\" is not one this service gave")
        .asRuntimeException();
  }

  /** What a unary call answers; may throw a refusal, or IOException when the log cannot be read. */
  private interface Answer<T> {
    T get() throws IOException;
  }

  /** Admits the caller and answers with {@code answer}, or the refusal, or UNAVAILABLE when the log fails. */
  private <T> void unary(StreamObserver<T> out, Answer<T> answer) {
    try {
      admit();
      out.onNext(answer.get());
      out.onCompleted();
    } catch (StatusRuntimeException e) {
      out.onError(e);
    } catch (IOException e) {
      out.onError(Status.UNAVAILABLE.withDescription(self + ": " + e.getMessage()).asRuntimeException());
    }
  }

  @Override
  public void getCheckpoint(GetCheckpointRequest request, StreamObserver<sluice.v1.Checkpoint> out) {
    unary(out, () -> {
      SignedNote latest = latestWitnessedOrSigned();
      if (latest == null) {
        throw Status.FAILED_PRECONDITION.withDescription(self + "'s audit log is empty; there is no checkpoint yet")
            .asRuntimeException();
      }
      return sluice.v1.Checkpoint.newBuilder().setNote(latest.format()).build();
    });
  }

  /** A checkpoint of everything durable now: the witnessed one when it is that recent. */
  private SignedNote latestWitnessedOrSigned() throws IOException {
    SignedNote latest;
    try {
      latest = log.checkpoint();
    } catch (IOException e) {
      throw new IOException("cannot sign a checkpoint: " + e.getMessage(), e);
    }
    SignedNote witnessed = log.witnessedCheckpoint();
    if (latest != null && witnessed != null
        && Checkpoint.parse(witnessed.text()).size() == Checkpoint.parse(latest.text()).size()) {
      return witnessed;
    }
    return latest;
  }

  private long checkpointSize(long asked) throws IOException {
    if (asked != 0) {
      return asked;
    }
    SignedNote latest = log.checkpoint();
    return latest == null ? 0 : Checkpoint.parse(latest.text()).size();
  }

  @Override
  public void getInclusionProof(InclusionProofRequest r, StreamObserver<InclusionProof> out) {
    unary(out, () -> {
      long size = checkpointSize(r.getTreeSize());
      if (size > log.size() || r.getLeafIndex() >= size) {
        throw Status.OUT_OF_RANGE.withDescription("leaf " + r.getLeafIndex() + " is not in a tree of " + size
            + " (the log holds " + log.size() + ")").asRuntimeException();
      }
      InclusionProof.Builder b = InclusionProof.newBuilder().setLeafIndex(r.getLeafIndex()).setTreeSize(size)
          .setEntry(ByteString.copyFrom(log.entry(r.getLeafIndex()))).setTreeHash(log.hash().name());
      log.inclusionProof(r.getLeafIndex(), size).forEach(h -> b.addHashes(ByteString.copyFrom(h)));
      return b.build();
    });
  }

  @Override
  public void getConsistencyProof(ConsistencyProofRequest r, StreamObserver<ConsistencyProof> out) {
    unary(out, () -> {
      long second = checkpointSize(r.getSecondSize());
      if (second > log.size() || r.getFirstSize() > second) {
        throw Status.OUT_OF_RANGE.withDescription("sizes " + r.getFirstSize() + " -> " + second
            + " do not fit a log of " + log.size()).asRuntimeException();
      }
      ConsistencyProof.Builder b = ConsistencyProof.newBuilder().setFirstSize(r.getFirstSize()).setSecondSize(second);
      log.consistencyProof(r.getFirstSize(), second).forEach(h -> b.addHashes(ByteString.copyFrom(h)));
      return b.build();
    });
  }

  @Override
  public void subjectReport(SubjectReportRequest r, StreamObserver<AuditRecord> out) {
    try {
      admit();
      if (!r.getSubjectPseudonym().matches("[0-9a-f]{64}")) {
        throw Status.INVALID_ARGUMENT.withDescription(
            "subject_pseudonym is the 64-hex-digit HMAC-SM3 of the subject's key under the audit key").asRuntimeException();
      }
      AuditQuery.Builder b = AuditQuery.newBuilder().setSubjectPseudonym(r.getSubjectPseudonym()).setPageSize(MAX_PAGE);
      if (r.hasFrom()) {
        b.setFrom(r.getFrom());
      }
      if (r.hasTo()) {
        b.setTo(r.getTo());
      }
      AuditQuery q = b.build();
      List<AuditRecord> all = new ArrayList<>(local(q));
      if (gateways != null && CallerIdentity.peer().equals(self)) {
        for (Province p : Province.values()) {
          NodeId g = p.gatewayId();
          Iterator<AuditPage> pages = AuditServiceGrpc.newBlockingStub(gateways.apply(g))
              .withDeadlineAfter(30, TimeUnit.SECONDS).queryEntries(q);
          try {
            pages.forEachRemaining(page -> all.addAll(page.getRecordsList()));
          } catch (StatusRuntimeException e) {
            throw Status.UNAVAILABLE.withDescription("the subject report needs every gateway's log; " + g
                + " answered " + e.getStatus().getCode() + ": " + e.getStatus().getDescription()).asRuntimeException();
          }
        }
      }
      all.sort(java.util.Comparator.comparingLong((AuditRecord a) -> micros(a.getDecoded().getTime()))
          .thenComparing(AuditRecord::getLogNodeId).thenComparing(AuditRecord::getLogInstance)
          .thenComparingLong(AuditRecord::getIndex));
      all.forEach(out::onNext);
      out.onCompleted();
    } catch (StatusRuntimeException e) {
      out.onError(e);
    } catch (SQLException e) {
      out.onError(Status.UNAVAILABLE.withDescription(self + ": the audit index cannot be read: " + e.getMessage())
          .asRuntimeException());
    }
  }

  /** The index conditions of {@code q}. */
  private static AuditIndex.Filter filter(AuditQuery q) {
    return new AuditIndex.Filter(
        q.hasFrom() ? micros(q.getFrom()) : 0, q.hasTo() ? micros(q.getTo()) : 0, q.getConsumerNodeId(),
        q.getProviderNodeId(), q.getResourceCode(), q.getPurposeCode(),
        q.getDecision() == sluice.v1.Decision.DECISION_UNSPECIFIED ? "" : q.getDecision().name(),
        q.getSubjectPseudonym(), q.getRequestId());
  }

  private List<AuditRecord> local(AuditQuery q) throws SQLException {
    AuditIndex.Filter f = filter(q);
    List<AuditRecord> out = new ArrayList<>();
    AuditIndex.Cursor after = AuditIndex.Cursor.START;
    while (true) {
      List<AuditRecord> page = index.query(f, after, MAX_PAGE);
      out.addAll(page);
      if (page.size() < MAX_PAGE) {
        return out;
      }
      after = AuditIndex.after(page.get(page.size() - 1));
    }
  }

  @Override
  public void export(ExportRequest request, StreamObserver<ExportChunk> out) {
    try {
      admit();
      SignedNote latest = log.checkpoint();
      long size = latest == null ? 0 : Checkpoint.parse(latest.text()).size();
      ServerCallStreamObserver<ExportChunk> stream = (ServerCallStreamObserver<ExportChunk>) out;
      out.onNext(ExportChunk.newBuilder().setHeader(header.toBuilder().setTreeSize(size)).build());
      long[] i = {0};
      log.read(size, entry -> {
        awaitReady(stream);
        out.onNext(ExportChunk.newBuilder().setRecord(AuditRecord.newBuilder().setIndex(i[0]++)
            .setLogNodeId(self.toString()).setLogInstance(header.getLogInstance())
            .setEntry(ByteString.copyFrom(entry))).build());
      });
      for (SignedNote n : log.checkpoints()) {
        if (Checkpoint.parse(n.text()).size() <= size) {
          out.onNext(ExportChunk.newBuilder().setCheckpoint(sluice.v1.Checkpoint.newBuilder().setNote(n.format())).build());
        }
      }
      out.onCompleted();
    } catch (StatusRuntimeException e) {
      out.onError(e);
    } catch (IOException e) {
      out.onError(Status.UNAVAILABLE.withDescription(self + ": cannot read the audit log: " + e.getMessage())
          .asRuntimeException());
    }
  }

  private static void awaitReady(ServerCallStreamObserver<?> stream) {
    while (!stream.isReady() && !stream.isCancelled()) {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  static long micros(Timestamp t) {
    return t.getSeconds() * 1_000_000 + t.getNanos() / 1000;
  }
}
