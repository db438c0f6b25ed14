package sluice.nodes.run;

import java.net.InetSocketAddress;
import java.util.Optional;
import sluice.crypto.NodeId;

/**
 * A node started in this process, and where it serves Prometheus metrics if it does. Closing it
 * stops its server.
 */
public record RunningNode(NodeId id, int port, AutoCloseable handle, Optional<InetSocketAddress> metrics)
    implements AutoCloseable {
  public RunningNode(NodeId id, int port, AutoCloseable handle) {
    this(id, port, handle, Optional.empty());
  }

  @Override
  public void close() throws Exception {
    handle.close();
  }
}
