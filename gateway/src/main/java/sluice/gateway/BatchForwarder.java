package sluice.gateway;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.AtomicBoolean;
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
 */
final class BatchForwarder implements StreamObserver<BatchVerifyRequest> {

  /** Checks a header and opens the route for its stream. */
  interface HeaderAdmission {
    GatewayVerifyService.Hop admit(BatchHeader header);
  }

  private final ServerCallStreamObserver<BatchVerifyResponse> upstream;
  private final HeaderAdmission admission;
  private final AtomicBoolean upstreamWaiting = new AtomicBoolean();
  private final AtomicBoolean downstreamWaiting = new AtomicBoolean();
  private volatile ClientCallStreamObserver<BatchVerifyRequest> downstream;
  private GatewayVerifyService.Hop hop;
  private volatile boolean finished;

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
        hop = admission.admit(message.getHeader());
      } catch (StatusRuntimeException e) {
        fail(e);
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
    try {
      hop.check(item.getPredicate());
      return false;
    } catch (StatusRuntimeException e) {
      synchronized (upstream) {
        if (!finished) {
          upstream.onNext(
              BatchVerifyResponse.newBuilder()
                  .setSeq(item.getSeq())
                  .setError(
                      ItemError.newBuilder()
                          .setCode(e.getStatus().getCode().value())
                          .setMessage(String.valueOf(e.getStatus().getDescription())))
                  .build());
        }
      }
      return true;
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
    private final GatewayVerifyService.Hop hop;

    Answers(GatewayVerifyService.Hop hop) {
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
      synchronized (upstream) {
        if (finished) {
          return;
        }
        upstream.onNext(answer);
      }
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
      fail(Relay.failure(hop.next(), t));
    }

    @Override
    public void onCompleted() {
      synchronized (upstream) {
        if (!finished) {
          finished = true;
          upstream.onCompleted();
        }
      }
    }
  }
}
