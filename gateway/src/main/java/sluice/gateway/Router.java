package sluice.gateway;

import io.grpc.Status;
import sluice.catalog.ResourceDescriptor;
import sluice.crypto.NodeId;

/**
 * The next hop towards a resource's provider: the department itself when it is in this
 * province, otherwise the national hub; from the hub, the provider's provincial gateway.
 */
final class Router {
  private final NodeId self;

  Router(NodeId self) {
    this.self = self;
  }

  NodeId nextHop(ResourceDescriptor resource, NodeId peer) {
    NodeId provider = resource.provider();
    if (self.isHub()) {
      return provider.gateway().orElseThrow();
    }
    if (provider.provinceOf().equals(self.provinceOf())) {
      return provider;
    }
    if (peer.isHub()) {
      throw Status.FAILED_PRECONDITION
          .withDescription(
              "the hub routed resource " + resource.code() + " to " + self + ", but its provider "
                  + provider + " is in another province; the hub's directory is out of date")
          .asRuntimeException();
    }
    return NodeId.NATIONAL;
  }
}
