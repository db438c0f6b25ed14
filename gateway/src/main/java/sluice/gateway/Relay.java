package sluice.gateway;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.UnaryOperator;
import sluice.crypto.NodeId;

/**
 * Turns the failure of a forwarded call into what this gateway returns. An error that another
 * Sluice node produced (it names its origin) passes through unchanged; a failure to reach the
 * next hop becomes UNAVAILABLE or DEADLINE_EXCEEDED naming that node.
 */
public final class Relay {
  private Relay() {}

  public static StatusRuntimeException failure(NodeId nextHop, Throwable t) {
    Status status = Status.fromThrowable(t);
    Metadata received = Status.trailersFromThrowable(t);
    if (received != null && received.containsKey(SluiceHeaders.ORIGIN)) {
      Metadata trailers = new Metadata();
      trailers.put(SluiceHeaders.ORIGIN, received.get(SluiceHeaders.ORIGIN));
      byte[] details = received.get(ErrorDetails.STATUS_DETAILS);
      if (details != null) {
        trailers.put(ErrorDetails.STATUS_DETAILS, details);
      }
      return status.asRuntimeException(trailers);
    }
    String cause = status.getDescription() == null ? "" : " (" + status.getDescription() + ")";
    switch (status.getCode()) {
      case UNAVAILABLE:
        return Status.UNAVAILABLE
            .withDescription("node " + nextHop + " is unreachable" + cause)
            .withCause(status.getCause())
            .asRuntimeException();
      case DEADLINE_EXCEEDED:
        return Status.DEADLINE_EXCEEDED
            .withDescription("deadline exceeded waiting for node " + nextHop + cause)
            .asRuntimeException();
      case CANCELLED:
        return Status.CANCELLED.withDescription("call cancelled" + cause).asRuntimeException();
      default:
        return status
            .withDescription("call to node " + nextHop + " failed" + cause)
            .asRuntimeException();
    }
  }

  /**
   * An observer for a forwarded unary call that passes each response on to {@code out} (after
   * {@code each}), and a failure as {@link #failure} would describe it.
   */
  public static <T> StreamObserver<T> to(StreamObserver<T> out, NodeId nextHop, UnaryOperator<T> each) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        out.onNext(each.apply(value));
      }

      @Override
      public void onError(Throwable t) {
        out.onError(failure(nextHop, t));
      }

      @Override
      public void onCompleted() {
        out.onCompleted();
      }
    };
  }
}
