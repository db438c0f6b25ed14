package sluice.gateway.client;

import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import sluice.v1.BatchHeader;
import sluice.v1.BatchItem;
import sluice.v1.BatchVerifyRequest;
import sluice.v1.BatchVerifyResponse;

/**
 * Sends a header and then items whenever the transport is ready (never buffering the whole
 * batch in gRPC), and collects the answers.
 */
final class BatchPump implements ClientResponseObserver<BatchVerifyRequest, BatchVerifyResponse> {
  private final BatchHeader header;
  private final Iterator<BatchItem> items;
  private final List<BatchVerifyResponse> responses = new ArrayList<>();
  private final CountDownLatch done = new CountDownLatch(1);
  private ClientCallStreamObserver<BatchVerifyRequest> requests;
  private boolean headerSent;
  private boolean completed;
  private volatile Throwable failure;

  BatchPump(BatchHeader header, Iterator<BatchItem> items) {
    this.header = header;
    this.items = items;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<BatchVerifyRequest> requestStream) {
    this.requests = requestStream;
    requestStream.setOnReadyHandler(this::pump);
  }

  private synchronized void pump() {
    while (!completed && requests.isReady()) {
      if (!headerSent) {
        requests.onNext(BatchVerifyRequest.newBuilder().setHeader(header).build());
        headerSent = true;
      } else if (items.hasNext()) {
        requests.onNext(BatchVerifyRequest.newBuilder().setItem(items.next()).build());
      } else {
        completed = true;
        requests.onCompleted();
      }
    }
  }

  @Override
  public synchronized void onNext(BatchVerifyResponse value) {
    responses.add(value);
  }

  @Override
  public void onError(Throwable t) {
    failure = t;
    done.countDown();
  }

  @Override
  public void onCompleted() {
    done.countDown();
  }

  List<BatchVerifyResponse> await() throws InterruptedException {
    done.await();
    Throwable t = failure;
    if (t != null) {
      throw Status.fromThrowable(t).asRuntimeException(Status.trailersFromThrowable(t));
    }
    synchronized (this) {
      return List.copyOf(responses);
    }
  }
}
