package sluice.nodes.department;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import sluice.catalog.mask.MaskKeys;
import sluice.catalog.mask.Masker;
import sluice.crypto.NodeId;
import sluice.crypto.Sm2;
import sluice.crypto.pki.NodeCredentials;
import sluice.gateway.NodeServer;
import sluice.gateway.Transport;
import sluice.gateway.receipt.ReceiptSigner;

/**
 * A running department node ({@code prov-CC/dept-NAME}): holds the department's records of
 * one or more resources and answers verification questions about them, for its provincial
 * gateway only. Build with {@link #builder()}.
 */
public final class DepartmentNode implements AutoCloseable {
  private final NodeId id;
  private final Server server;
  private final HealthStatusManager health;

  private DepartmentNode(NodeId id, Server server, HealthStatusManager health) {
    this.id = id;
    this.server = server;
    this.health = health;
  }

  public static Builder builder() {
    return new Builder();
  }

  public NodeId id() {
    return id;
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    health.enterTerminalState();
    NodeServer.stop(server);
  }

  /** Collects a department node's configuration; {@link #start()} checks it and serves. */
  public static final class Builder {
    private NodeCredentials credentials;
    private Transport transport;
    private InetSocketAddress listen;
    private Clock clock = Clock.systemUTC();
    private MaskKeys maskKeys;
    private java.nio.file.Path psiSpillDir = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"));
    private int psiPartitionTags = sluice.gateway.psi.TagSpill.PARTITION_TAGS;
    private final Map<String, ServedResource> resources = new LinkedHashMap<>();
    private final List<ServerInterceptor> interceptors = new ArrayList<>();
    private sluice.gateway.metrics.NodeMetrics metrics;

    private Builder() {}

    /** Counts and times every call the node serves (refusals included) into {@code metrics}. */
    public Builder metrics(sluice.gateway.metrics.NodeMetrics metrics) {
      this.metrics = Objects.requireNonNull(metrics);
      return this;
    }

    public Builder credentials(NodeCredentials credentials) {
      this.credentials = credentials;
      return this;
    }

    public Builder transport(Transport transport) {
      this.transport = transport;
      return this;
    }

    public Builder listen(InetSocketAddress listen) {
      this.listen = listen;
      return this;
    }

    /**
     * The department's masking master key; without one the node answers Verify only, and
     * refuses Query (nothing can leave masked).
     */
    public Builder maskKeys(MaskKeys keys) {
      this.maskKeys = Objects.requireNonNull(keys);
      return this;
    }

    /**
     * Where PSI sessions spill tags to disk (default: the system's temporary directory), and how
     * many a spill partition holds: what a session keeps in memory at once.
     */
    public Builder psiSpill(java.nio.file.Path dir, int partitionTags) {
      this.psiSpillDir = Objects.requireNonNull(dir);
      this.psiPartitionTags = partitionTags;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /** An interceptor that sees every call after authentication (metrics, message capture). */
    public Builder intercept(ServerInterceptor interceptor) {
      interceptors.add(Objects.requireNonNull(interceptor));
      return this;
    }

    public Builder serve(ServedResource resource) {
      if (resources.putIfAbsent(resource.descriptor().code(), resource) != null) {
        throw new IllegalStateException(
            "resource " + resource.descriptor().code() + " is served twice");
      }
      return this;
    }

    public DepartmentNode start() throws IOException {
      if (credentials == null || transport == null || listen == null) {
        throw new IllegalStateException(
            "department node needs credentials, transport and a listen address");
      }
      NodeId id = credentials.id();
      if (!id.isDepartment()) {
        throw new IllegalStateException(id + " is not a department node id (prov-CC/dept-NAME)");
      }
      if (resources.isEmpty()) {
        throw new IllegalStateException(id + " serves no resource");
      }
      for (ServedResource r : resources.values()) {
        if (!r.descriptor().provider().equals(id)) {
          throw new IllegalStateException(
              "resource " + r.descriptor().code() + " belongs to " + r.descriptor().provider()
                  + ", not to " + id);
        }
      }
      ReceiptSigner signer = new ReceiptSigner(credentials, Sm2.signer(credentials.signingKey()));
      List<BindableService> services =
          List.of(
              new DepartmentVerifyService(
                  id, resources, signer, clock,
                  maskKeys == null ? null : new QueryAnswerer(id, maskKeys, new Masker(new SecureRandom())),
                  transport.executor(), Runtime.getRuntime().availableProcessors()),
              new DepartmentPsiService(id, resources, transport.executor(), Runtime.getRuntime().availableProcessors(),
                  new SecureRandom(), psiSpillDir, psiPartitionTags),
              new DepartmentAggregateService(id, resources, Sm2.signer(credentials.signingKey()),
                  credentials.signingChain(), credentials.trustRoots(), transport.revocations(), clock,
                  new SecureRandom()));
      // A department node is ready as soon as it serves: its records are loaded before it starts.
      HealthStatusManager health = new HealthStatusManager();
      return new DepartmentNode(
          id, NodeServer.start(transport, listen, credentials, services, interceptors, health,
              sluice.gateway.identity.RefusalAudit.none(), metrics == null ? null : metrics.calls()), health);
    }
  }
}
