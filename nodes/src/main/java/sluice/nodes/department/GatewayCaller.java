package sluice.nodes.department;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Status;
import sluice.crypto.NodeId;
import sluice.gateway.SluiceHeaders;
import sluice.gateway.identity.CallerIdentity;
import sluice.v1.RowScope;

/**
 * Who a call to a department node is for, as its own provincial gateway says: the consumer, the
 * request id, and the records the consumer's grants reach. Only that gateway may call.
 */
record GatewayCaller(NodeId consumer, String requestId, Scope scope) {

  /**
   * The caller of the current call.
   *
   * @throws io.grpc.StatusRuntimeException PERMISSION_DENIED when the peer is not {@code self}'s
   *     gateway or names no consumer; INVALID_ARGUMENT when its headers are malformed
   */
  static GatewayCaller current(NodeId self) {
    NodeId gateway = self.gateway().orElseThrow();
    NodeId peer = CallerIdentity.peer();
    if (!peer.equals(gateway)) {
      throw Status.PERMISSION_DENIED
          .withDescription(
              self + " answers only its provincial gateway " + gateway + "; caller is " + peer)
          .asRuntimeException();
    }
    String asserted =
        CallerIdentity.assertedConsumer()
            .orElseThrow(
                () ->
                    Status.PERMISSION_DENIED
                        .withDescription("gateway " + peer + " did not name the consumer")
                        .asRuntimeException());
    NodeId consumer;
    try {
      consumer = NodeId.parse(asserted);
    } catch (IllegalArgumentException e) {
      throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
    }
    return new GatewayCaller(consumer, CallerIdentity.forwardedRequestId().orElse(""), headerScope());
  }

  /** The records the gateway says the consumer's grants reach (all, without a row scope header). */
  private static Scope headerScope() {
    byte[] sent = CallerIdentity.header(SluiceHeaders.ROW_SCOPE).orElse(null);
    if (sent == null) {
      return Scope.ALL;
    }
    try {
      return new Scope(RowScope.parseFrom(sent));
    } catch (InvalidProtocolBufferException e) {
      throw Status.INVALID_ARGUMENT.withDescription("row scope is malformed").asRuntimeException();
    }
  }
}
