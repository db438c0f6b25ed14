package sluice.nodes.run;

import sluice.crypto.NodeId;

/** A node started in this process. Closing it stops its server. */
public record RunningNode(NodeId id, int port, AutoCloseable handle) implements AutoCloseable {
  @Override
  public void close() throws Exception {
    handle.close();
  }
}
