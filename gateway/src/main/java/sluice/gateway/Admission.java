package sluice.gateway;

import io.grpc.StatusRuntimeException;
import java.util.Optional;
import sluice.crypto.NodeId;
import sluice.crypto.Province;

/**
 * Who may call a gateway, and on whose behalf. A provincial gateway serves its own province's
 * departments directly and the national hub's forwarded calls; the hub serves only provincial
 * gateways, each only for its own departments. Everything else is refused, so a department's
 * certificate is useless anywhere but at its own provincial gateway.
 */
public final class Admission {
  private final NodeId self;

  public Admission(NodeId self) {
    if (self.isDepartment()) {
      throw new IllegalArgumentException(self + " is a department, not a gateway");
    }
    this.self = self;
  }

  /**
   * The consumer department a call is made for.
   *
   * @param peer the verified TLS peer
   * @param asserted the consumer a forwarding peer named in its headers
   * @throws StatusRuntimeException PERMISSION_DENIED (or INVALID_ARGUMENT for a malformed header)
   */
  public NodeId consumer(NodeId peer, Optional<String> asserted) {
    if (self.isHub()) {
      if (!peer.isProvince()) {
        throw Refusals.denied(
            "the national hub accepts calls only from provincial gateways; " + peer
                + " must call its provincial gateway " + gatewayOf(peer));
      }
      NodeId consumer = parseAsserted(peer, asserted);
      if (!sameProvince(consumer, peer)) {
        throw Refusals.denied(
            peer + " may forward calls only for its own departments, not for " + consumer);
      }
      return consumer;
    }
    Province mine = self.provinceOf().orElseThrow();
    if (peer.isDepartment()) {
      if (peer.provinceOf().orElseThrow() != mine) {
        throw Refusals.denied(
            "department " + peer + " must call its own provincial gateway " + gatewayOf(peer)
                + ", not " + self);
      }
      if (asserted.isPresent() && !asserted.get().equals(peer.toString())) {
        throw Refusals.denied(
            "department " + peer + " may not call on behalf of " + asserted.get());
      }
      return peer;
    }
    if (peer.isHub()) {
      NodeId consumer = parseAsserted(peer, asserted);
      if (consumer.provinceOf().orElseThrow() == mine) {
        throw Refusals.denied(
            "the hub forwarded a call for " + consumer + ", a department of this province; it"
                + " should have come directly");
      }
      return consumer;
    }
    throw Refusals.denied(
        peer + " may not call " + self + " directly: calls between provinces go through the"
            + " national hub");
  }

  /**
   * The consumer of a call only the hub makes itself (a round of a secure aggregation it runs for
   * a consumer of any province, this one's included).
   *
   * @throws StatusRuntimeException PERMISSION_DENIED unless the peer is the hub
   */
  public NodeId consumerOfHubCall(NodeId peer, Optional<String> asserted) {
    if (!peer.isHub()) {
      throw Refusals.denied("only the national hub makes this call; " + peer + " may not");
    }
    return parseAsserted(peer, asserted);
  }

  private static NodeId parseAsserted(NodeId peer, Optional<String> asserted) {
    String text =
        asserted.orElseThrow(
            () -> Refusals.denied(peer + " forwarded a call without naming its consumer"));
    NodeId consumer;
    try {
      consumer = NodeId.parse(text);
    } catch (IllegalArgumentException e) {
      throw Refusals.invalid("forwarded consumer: " + e.getMessage());
    }
    if (!consumer.isDepartment()) {
      throw Refusals.denied("forwarded consumer " + consumer + " is not a department");
    }
    return consumer;
  }

  private static boolean sameProvince(NodeId a, NodeId b) {
    return a.provinceOf().equals(b.provinceOf());
  }

  private static String gatewayOf(NodeId node) {
    return node.gateway().map(NodeId::toString).orElse("(none)");
  }
}
