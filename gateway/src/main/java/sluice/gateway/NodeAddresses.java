package sluice.gateway;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import sluice.crypto.NodeId;

/** Where each federation node listens. Immutable. */
public final class NodeAddresses {
  private final Map<NodeId, InetSocketAddress> addresses;

  public NodeAddresses(Map<NodeId, InetSocketAddress> addresses) {
    this.addresses = Map.copyOf(addresses);
  }

  public Optional<InetSocketAddress> of(NodeId node) {
    return Optional.ofNullable(addresses.get(node));
  }

  public Map<NodeId, InetSocketAddress> asMap() {
    return addresses;
  }
}
