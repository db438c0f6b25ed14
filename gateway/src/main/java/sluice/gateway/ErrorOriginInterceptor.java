package sluice.gateway;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import sluice.crypto.NodeId;

/**
 * Marks every error this node returns with the node that produced it, unless the error was
 * relayed from another node and already names its origin. A gateway uses the mark to tell an
 * error a downstream node answered from a failure to reach that node. An error made here without
 * google.rpc details gets an ErrorInfo whose reason is its status code ({@link ErrorDetails}).
 * Every error also carries a retry pushback of -1: the node answered it, so a client configured to
 * retry calls whose connection failed (a channel over a gateway's instances) does not retry it.
 */
public final class ErrorOriginInterceptor implements ServerInterceptor {
  /** gRPC's retry pushback trailer; a negative value tells the client not to retry. */
  static final Metadata.Key<String> NO_RETRY = Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);

  private final String self;

  public ErrorOriginInterceptor(NodeId self) {
    this.self = self.toString();
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    return next.startCall(
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            if (!status.isOk()) {
              // An answer, not a lost connection: a client's retry policy must not try it again.
              trailers.discardAll(NO_RETRY);
              trailers.put(NO_RETRY, "-1");
              if (!trailers.containsKey(SluiceHeaders.ORIGIN)) {
                trailers.put(SluiceHeaders.ORIGIN, self);
                // Made here: give it error details if whoever made it gave none.
                if (!ErrorDetails.present(trailers)) {
                  ErrorDetails.addGeneric(status, trailers, self);
                }
              }
            }
            super.close(status, trailers);
          }
        },
        headers);
  }
}
