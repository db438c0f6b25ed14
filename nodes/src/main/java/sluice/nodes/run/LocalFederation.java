package sluice.nodes.run;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import sluice.crypto.NodeId;
import sluice.crypto.pki.NodeCredentials;
import sluice.gateway.Transport;
import sluice.gateway.client.ConsumerClient;
import sluice.nodes.config.ConfigException;
import sluice.nodes.config.NodeConfig;

/**
 * A laid-out federation's nodes running in this process, each its own gRPC server on its own
 * port with mutual TLS. Closing stops them all.
 */
public final class LocalFederation implements AutoCloseable {
  private final FederationSetup.Layout layout;
  private final Transport transport;
  private final Map<NodeId, RunningNode> running;

  private LocalFederation(
      FederationSetup.Layout layout, Transport transport, Map<NodeId, RunningNode> running) {
    this.layout = layout;
    this.transport = transport;
    this.running = running;
  }

  /**
   * Starts the nodes of {@code layout} that {@code which} selects: departments first, then
   * provincial gateways, then the hub, so no gateway serves before what it forwards to.
   */
  public static LocalFederation start(
      FederationSetup.Layout layout, Transport transport, Predicate<NodeId> which)
      throws ConfigException, IOException {
    List<NodeId> order = new ArrayList<>(layout.nodeConfigs().keySet());
    order.removeIf(which.negate());
    order.sort(Comparator.comparing((NodeId n) -> -n.role().ordinal()).thenComparing(n -> n));
    Map<NodeId, RunningNode> running = new LinkedHashMap<>();
    try {
      for (NodeId node : order) {
        running.put(
            node, NodeLauncher.start(NodeConfig.load(layout.nodeConfigs().get(node)), transport));
      }
    } catch (ConfigException | IOException | RuntimeException e) {
      closeAll(running);
      throw e;
    }
    return new LocalFederation(layout, transport, running);
  }

  public FederationSetup.Layout layout() {
    return layout;
  }

  public Map<NodeId, RunningNode> running() {
    return Collections.unmodifiableMap(running);
  }

  /** A client for consumer department {@code department}, connected to its provincial gateway. */
  public ConsumerClient consumer(NodeId department, Duration deadline) throws IOException {
    NodeCredentials creds = NodeCredentials.load(layout.credentials(department));
    NodeId gateway = department.gateway().orElseThrow();
    InetSocketAddress address = layout.addresses().get(gateway);
    return new ConsumerClient(creds, address, transport, deadline);
  }

  /** Stops one node (to test what happens when it is gone). */
  public void stop(NodeId node) throws Exception {
    RunningNode n = running.remove(node);
    if (n != null) {
      n.close();
    }
  }

  @Override
  public void close() {
    closeAll(running);
  }

  private static void closeAll(Map<NodeId, RunningNode> nodes) {
    List<RunningNode> reverse = new ArrayList<>(nodes.values());
    Collections.reverse(reverse);
    for (RunningNode n : reverse) {
      try {
        n.close();
      } catch (Exception e) {
        // Best effort: keep stopping the others.
      }
    }
    nodes.clear();
  }
}
