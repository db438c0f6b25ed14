package sluice.gateway;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import sluice.gateway.identity.CallerIdentity;
import sluice.gateway.identity.RefusalAudit;

/**
 * Refuses, INVALID_ARGUMENT and audited, a request that cannot be read as the message its method
 * takes (a predicate nested deeper than protobuf's limit of 100 levels, truncated or corrupt
 * bytes), where grpc-java alone would answer UNKNOWN "Application error processing RPC" and no
 * service would see, let alone audit, the attempt.
 *
 * <p>It works on {@link #readLater} services, whose messages reach this interceptor as bytes and
 * are read into their message type inside it, so a failure to read surfaces here. The refused
 * call's handler is told the call was cancelled, so it lets go of whatever it held; nothing else
 * reaches it.
 */
final class UnreadableRequests implements ServerInterceptor {
  private final RefusalAudit audit;

  UnreadableRequests(RefusalAudit audit) {
    this.audit = audit;
  }

  /** {@code service} taking and giving its messages as bytes, each read into its type when it is delivered. */
  static ServerServiceDefinition readLater(ServerServiceDefinition service) {
    return ServerInterceptors.useMarshalledMessages(service, RawBytes.MARSHALLER);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
      private boolean refused;

      @Override
      public void onMessage(Q message) {
        if (refused) {
          return;
        }
        try {
          super.onMessage(message);
        } catch (StatusRuntimeException e) {
          InvalidProtocolBufferException unreadable = unreadable(e);
          if (unreadable == null) {
            throw e;
          }
          refused = true;
          String method = call.getMethodDescriptor().getFullMethodName();
          Status refusal = Status.INVALID_ARGUMENT.withDescription(
              "the request is not a readable message for " + method + ": " + unreadable.getMessage());
          super.onCancel(); // the handler lets go of the call; it sees nothing more
          // Identity was established before this interceptor runs (NodeServer's order).
          audit.unreadable(call.getMethodDescriptor().getBareMethodName(), CallerIdentity.peer().toString(),
                  refusal.getDescription())
              .whenComplete((ok, err) -> call.close(refusal, new Metadata()));
        }
      }

      @Override
      public void onHalfClose() {
        if (!refused) {
          super.onHalfClose();
        }
      }

      @Override
      public void onCancel() {
        if (!refused) {
          super.onCancel();
        }
      }

      @Override
      public void onComplete() {
        if (!refused) {
          super.onComplete();
        }
      }

      @Override
      public void onReady() {
        if (!refused) {
          super.onReady();
        }
      }
    };
  }

  private static InvalidProtocolBufferException unreadable(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof InvalidProtocolBufferException e) {
        return e;
      }
    }
    return null;
  }
}
