package sluice.gateway;

import com.google.protobuf.MessageLite;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import sluice.crypto.NodeId;
import sluice.gateway.audit.AuditedCall;

/**
 * Relays a forwarded unary call's answer (after {@code each}) or failure ({@link Relay#failure})
 * to the caller, each only once its audit entry is durable; when the log cannot write, the caller
 * gets UNAVAILABLE and no answer.
 */
final class AuditedRelay<T extends MessageLite> implements StreamObserver<T> {
  private final StreamObserver<T> out;
  private final NodeId next;
  private final AuditedCall call;
  private final UnaryOperator<T> each;
  private T answer;
  private CompletableFuture<Void> durable;

  AuditedRelay(StreamObserver<T> out, NodeId next, AuditedCall call, UnaryOperator<T> each) {
    this.out = out;
    this.next = next;
    this.call = call;
    this.each = each;
  }

  /** Refuses a call this gateway will not forward, once the refusal is durable. */
  static void refuse(AuditedCall call, StatusRuntimeException refusal, StreamObserver<?> out) {
    call.released(call.failed(refusal), () -> out.onError(refusal), out::onError);
  }

  @Override
  public void onNext(T value) {
    // Unary: one answer. Its entry is appended at once, so the fsync overlaps the trailers.
    answer = each.apply(value);
    durable = call.answered(answer);
  }

  @Override
  public void onError(Throwable t) {
    refuse(call, Relay.failure(next, t), out);
  }

  @Override
  public void onCompleted() {
    T released = answer;
    if (released == null) {
      refuse(call, io.grpc.Status.INTERNAL.withDescription(next + " completed the call without an answer")
          .asRuntimeException(), out);
      return;
    }
    call.released(durable, () -> {
      out.onNext(released);
      out.onCompleted();
    }, out::onError);
  }
}
