package sluice.nodes.run;

import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import sluice.crypto.NodeId;
import sluice.crypto.pki.NodeCredentials;
import sluice.gateway.NodeAddresses;
import sluice.gateway.NodeChannels;
import sluice.gateway.Transport;
import sluice.gateway.client.ConsumerClient;
import sluice.nodes.config.ConfigException;
import sluice.nodes.config.FederationFile;
import sluice.nodes.config.NodeConfig;

/**
 * A laid-out federation's nodes running in this process, each its own gRPC server on its own
 * port with mutual TLS. Closing stops them all.
 */
public final class LocalFederation implements AutoCloseable {
  private static final int STARTER_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());
  private final FederationSetup.Layout layout;
  private final Transport transport;
  private final Map<NodeId, RunningNode> running;
  /** Where the nodes listen, as the federation file said when they started. */
  private final NodeAddresses addresses;

  private LocalFederation(
      FederationSetup.Layout layout, Transport transport, Map<NodeId, RunningNode> running, NodeAddresses addresses) {
    this.layout = layout;
    this.transport = transport;
    this.running = running;
    this.addresses = addresses;
  }

  /**
   * Starts the nodes of {@code layout} that {@code which} selects: departments first, then
   * provincial gateways, then the hub (each group in parallel), so no gateway serves before
   * what it forwards to.
   */
  public static LocalFederation start(
      FederationSetup.Layout layout, Transport transport, Predicate<NodeId> which)
      throws ConfigException, IOException {
    NodeAddresses addresses = FederationFile.load(layout.federationFile()).addresses();
    Map<NodeId, RunningNode> running = new ConcurrentHashMap<>();
    ExecutorService starters = Executors.newFixedThreadPool(STARTER_THREADS);
    // Every node names the same federation file: it is read once here, not once per node.
    Directories directories = new Directories();
    try {
      for (NodeId.Role role : List.of(NodeId.Role.DEPARTMENT, NodeId.Role.PROVINCE, NodeId.Role.HUB)) {
        List<Future<RunningNode>> started = new ArrayList<>();
        for (NodeId node : layout.nodeConfigs().keySet()) {
          if (node.role() == role && which.test(node)) {
            Path config = layout.nodeConfigs().get(node);
            started.add(starters.submit(() -> {
              NodeConfig.Resolved resolved = NodeConfig.load(config);
              return NodeLauncher.start(resolved, transport, directories.get(resolved.federation()));
            }));
          }
        }
        for (Future<RunningNode> f : started) {
          RunningNode n = await(f);
          running.put(n.id(), n);
        }
      }
    } catch (ConfigException | IOException | RuntimeException e) {
      closeAll(running);
      throw e;
    } finally {
      starters.shutdownNow();
    }
    Map<NodeId, RunningNode> ordered = new LinkedHashMap<>();
    layout.nodeConfigs().keySet().stream().filter(running::containsKey).forEach(n -> ordered.put(n, running.get(n)));
    return new LocalFederation(layout, transport, ordered, addresses);
  }

  /** Federation files read so far, by path. */
  private static final class Directories {
    private final Map<java.nio.file.Path, FederationFile.Directory> read = new java.util.HashMap<>();

    synchronized FederationFile.Directory get(java.nio.file.Path file) throws ConfigException {
      FederationFile.Directory d = read.get(file);
      if (d == null) {
        d = FederationFile.load(file);
        read.put(file, d);
      }
      return d;
    }
  }

  private static RunningNode await(Future<RunningNode> f) throws ConfigException, IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting nodes", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ConfigException c) {
        throw c;
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IOException(cause);
    }
  }

  public FederationSetup.Layout layout() {
    return layout;
  }

  public Map<NodeId, RunningNode> running() {
    return Collections.unmodifiableMap(running);
  }

  /**
   * A client for consumer department {@code department}, connected to its provincial gateway (to
   * each of its instances, when the federation file lists several).
   */
  public ConsumerClient consumer(NodeId department, Duration deadline) throws IOException {
    NodeCredentials creds = NodeCredentials.load(layout.credentials(department));
    NodeId gateway = department.gateway().orElseThrow();
    return new ConsumerClient(creds, addresses.of(gateway), transport, deadline);
  }

  /**
   * Waits until every running node reports SERVING on gRPC health checking (a provincial
   * gateway does once it holds a verified catalogue snapshot), asking as the hub.
   *
   * @throws IOException naming the nodes still not serving when {@code timeout} runs out
   */
  public void awaitReady(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<NodeId> waiting = new ArrayList<>(running.keySet());
    try (NodeChannels channels = channelsAs(NodeId.NATIONAL)) {
      while (true) {
        waiting.removeIf(node -> serving(channels, node));
        if (waiting.isEmpty()) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new IOException("not serving after " + timeout.toSeconds() + " s: " + waiting);
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for the federation", e);
        }
      }
    }
  }

  private static boolean serving(NodeChannels channels, NodeId node) {
    try {
      return HealthGrpc.newBlockingStub(channels.to(node))
              .withDeadlineAfter(2, TimeUnit.SECONDS)
              .check(HealthCheckRequest.getDefaultInstance())
              .getStatus()
          == HealthCheckResponse.ServingStatus.SERVING;
    } catch (StatusRuntimeException e) {
      return false;
    }
  }

  /** Channels to other nodes, authenticated as {@code node}; close them after use. */
  public NodeChannels channelsAs(NodeId node) throws IOException {
    return new NodeChannels(
        NodeCredentials.load(layout.credentials(node)), addresses, transport);
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

  /** Stops the hub first, then gateways, then departments, so no call is forwarded into a gap. */
  private static void closeAll(Map<NodeId, RunningNode> nodes) {
    List<RunningNode> order = new ArrayList<>(nodes.values());
    order.sort(Comparator.comparing((RunningNode n) -> n.id().role().ordinal()));
    for (RunningNode n : order) {
      try {
        n.close();
      } catch (Exception e) {
        // Best effort: keep stopping the others.
      }
    }
    nodes.clear();
  }
}
