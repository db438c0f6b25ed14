package sluice.gateway;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import sluice.gateway.audit.AuditedCall;
import sluice.v1.BatchHeader;
import sluice.v1.BatchItem;
import sluice.v1.BatchVerifyRequest;
import sluice.v1.BatchVerifyResponse;
import sluice.v1.ItemError;

/**
 * Relays one BatchVerify stream to the next hop with end-to-end flow control: the gateway asks
 * its caller for the next item only when the next hop can take it, and asks the next hop for
 * the next answer only when the caller can take it, so a batch of any size runs in bounded
 * memory. The first message must be the header; it is checked and routed once for the stream.
 * Every item is audited (an entry per item, with its subject's pseudonym) and its answer or
 * refusal released only once that entry is durable; the stream completes after the last one.
 */
final class BatchForwarder implements StreamObserver<BatchVerifyRequest> {

  /** Checks a header and opens the route for its stream; throws {@link Refused}. */
  interface HeaderAdmission {
    Admitted admit(BatchHeader header);
  }

  /** The route of an admitted stream, and the audit record its items start from. */
  record Admitted(Hop hop, AuditedCall header) {}

  /** A refused header, with its audit record. */
  static final class Refused extends RuntimeException {
    final transient AuditedCall call;
    final StatusRuntimeException refusal;

    Refused(AuditedCall call, StatusRuntimeException refusal) {
      super(refusal.getMessage(), null, false, false);
      this.call = call;
      this.refusal = refusal;
    }
  }

  private final ServerCallStreamObserver<BatchVerifyResponse> upstream;
  private final HeaderAdmission admission;
  private final AtomicBoolean upstreamWaiting = new AtomicBoolean();
  private final AtomicBoolean downstreamWaiting = new AtomicBoolean();
  private volatile ClientCallStreamObserver<BatchVerifyRequest> downstream;
  private Hop hop;
  private AuditedCall header;
  private volatile boolean finished;
  /** Items forwarded and not yet answered, by sequence number. */
  private final Map<Long, AuditedCall> inFlight = new ConcurrentHashMap<>();
  /** Answers and refusals whose entries are not yet durable and released; +1 while the stream is open. */
  private final AtomicInteger unreleased = new AtomicInteger(1);
  private static final int MAX_UNRELEASED = 512;

  BatchForwarder(
      ServerCallStreamObserver<BatchVerifyResponse> upstream, HeaderAdmission admission) {
    this.upstream = upstream;
    this.admission = admission;
    upstream.disableAutoRequest();
    upstream.setOnReadyHandler(this::upstreamReady);
    upstream.setOnCancelHandler(this::upstreamCancelled);
    upstream.request(1);
  }

  @Override
  public void onNext(BatchVerifyRequest message) {
    if (finished) {
      return;
    }
    ClientCallStreamObserver<BatchVerifyRequest> down = downstream;
    if (down == null) {
      if (!message.hasHeader()) {
        fail(Refusals.invalid("the first BatchVerify message must be the header"));
        return;
      }
      try {
        Admitted admitted = admission.admit(message.getHeader());
        hop = admitted.hop();
        header = admitted.header();
      } catch (Refused r) {
        finished = true;
        r.call.released(r.call.failed(r.refusal), () -> upstream.onError(r.refusal), upstream::onError);
        return;
      }
      hop.stub().batchVerify(new Answers(hop));
      down = downstream;
    } else if (message.hasHeader()) {
      fail(Refusals.invalid("a BatchVerify stream carries exactly one header, first"));
      down.cancel("caller sent a second header", null);
      return;
    }
    if (message.hasItem() && refused(message.getItem())) {
      upstream.request(1);
      return;
    }
    down.onNext(message);
    askUpstreamWhenDownstreamReady(down);
  }

  /** Answers an item the access policy refuses here, without forwarding it. */
  private boolean refused(BatchItem item) {
    AuditedCall call = header.item(item.getSeq(), item.getSubjectKey());
    StatusRuntimeException refusal;
    try {
      hop.check(item.getPredicate(), call);
      if (inFlight.putIfAbsent(item.getSeq(), call) == null) {
        return false;
      }
      refusal = Refusals.invalid("item seq " + item.getSeq() + " is already in flight in this stream; number items uniquely");
    } catch (StatusRuntimeException e) {
      refusal = e;
    }
    BatchVerifyResponse answer =
        BatchVerifyResponse.newBuilder()
            .setSeq(item.getSeq())
            .setError(
                ItemError.newBuilder()
                    .setCode(refusal.getStatus().getCode().value())
                    .setMessage(String.valueOf(refusal.getStatus().getDescription())))
            .build();
    release(call, call.failed(refusal), answer, null);
    return true;
  }

  /** Sends {@code answer} once its entry is durable, then {@code after}; completes the stream after the last. */
  private void release(AuditedCall call, CompletableFuture<Void> durable,
      BatchVerifyResponse answer, Runnable after) {
    unreleased.incrementAndGet();
    call.released(
        durable,
        () -> {
          synchronized (upstream) {
            if (!finished) {
              upstream.onNext(answer);
            }
          }
          if (after != null) {
            after.run();
          }
          releasedOne();
        },
        e -> {
          fail(e);
          releasedOne();
        });
  }

  private void releasedOne() {
    if (unreleased.decrementAndGet() == 0) {
      synchronized (upstream) {
        if (!finished) {
          finished = true;
          upstream.onCompleted();
        }
      }
    }
  }

  @Override
  public void onError(Throwable t) {
    finished = true;
    ClientCallStreamObserver<BatchVerifyRequest> down = downstream;
    if (down != null) {
      down.cancel("caller failed the stream", t);
    }
  }

  @Override
  public void onCompleted() {
    if (finished) {
      return;
    }
    ClientCallStreamObserver<BatchVerifyRequest> down = downstream;
    if (down == null) {
      fail(Refusals.invalid("BatchVerify stream ended before its header"));
      return;
    }
    down.onCompleted();
  }

  private void askUpstreamWhenDownstreamReady(ClientCallStreamObserver<BatchVerifyRequest> down) {
    if (down.isReady()) {
      upstream.request(1);
      return;
    }
    upstreamWaiting.set(true);
    if (down.isReady() && upstreamWaiting.compareAndSet(true, false)) {
      upstream.request(1);
    }
  }

  private void downstreamReady() {
    if (upstreamWaiting.compareAndSet(true, false)) {
      upstream.request(1);
    }
  }

  private void upstreamReady() {
    ClientCallStreamObserver<BatchVerifyRequest> down = downstream;
    if (down != null && downstreamWaiting.compareAndSet(true, false)) {
      down.request(1);
    }
  }

  private void upstreamCancelled() {
    finished = true;
    ClientCallStreamObserver<BatchVerifyRequest> down = downstream;
    if (down != null) {
      down.cancel("caller cancelled", null);
    }
  }

  /** Writes to the caller are serialized: answers arrive on one thread, refusals on another. */
  private void fail(StatusRuntimeException e) {
    synchronized (upstream) {
      if (!finished) {
        finished = true;
        upstream.onError(e);
      }
    }
  }

  /** Answers from the next hop, relayed to the caller. */
  private final class Answers
      implements ClientResponseObserver<BatchVerifyRequest, BatchVerifyResponse> {
    private final Hop hop;

    Answers(Hop hop) {
      this.hop = hop;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<BatchVerifyRequest> requests) {
      requests.disableAutoRequestWithInitial(1);
      requests.setOnReadyHandler(BatchForwarder.this::downstreamReady);
      downstream = requests;
    }

    @Override
    public void onNext(BatchVerifyResponse answer) {
      if (finished) {
        return;
      }
      AuditedCall call = inFlight.remove(answer.getSeq());
      if (call == null) {
        // An answer to an item this gateway did not forward: never pass it on.
        call = header.item(answer.getSeq(), "");
        StatusRuntimeException wrong = Status.INTERNAL
            .withDescription(hop.next() + " answered item seq " + answer.getSeq() + ", which is not in flight")
            .asRuntimeException();
        call.released(call.failed(wrong), () -> fail(wrong), BatchForwarder.this::fail);
        downstream.cancel("answer to an item not in flight", null);
        return;
      }
      CompletableFuture<Void> durable =
          answer.hasError()
              ? call.itemFailed(answer.getError().getCode(), answer.getError().getMessage(), answer)
              : call.answered(answer);
      // The next answer is asked for at once, not after this one is durable, so that answers
      // share fsyncs; at most MAX_UNRELEASED wait for theirs.
      if (unreleased.get() < MAX_UNRELEASED) {
        release(call, durable, answer, null);
        askForNext();
      } else {
        release(call, durable, answer, this::askForNext);
      }
    }

    private void askForNext() {
      ClientCallStreamObserver<BatchVerifyRequest> down = downstream;
      if (upstream.isReady()) {
        down.request(1);
        return;
      }
      downstreamWaiting.set(true);
      if (upstream.isReady() && downstreamWaiting.compareAndSet(true, false)) {
        down.request(1);
      }
    }

    @Override
    public void onError(Throwable t) {
      if (Status.fromThrowable(t).getCode() == Status.Code.CANCELLED && finished) {
        return;
      }
      StatusRuntimeException failure = Relay.failure(hop.next(), t);
      // Items in flight were not answered: each is recorded as failed with the stream.
      List<CompletableFuture<Void>> entries = new ArrayList<>();
      for (Long seq : inFlight.keySet()) {
        AuditedCall call = inFlight.remove(seq);
        if (call != null) {
          entries.add(call.failed(failure));
        }
      }
      entries.add(header.failed(failure));
      header.released(
          CompletableFuture.allOf(entries.toArray(new CompletableFuture[0])),
          () -> fail(failure), BatchForwarder.this::fail);
    }

    @Override
    public void onCompleted() {
      releasedOne();
    }
  }
}
