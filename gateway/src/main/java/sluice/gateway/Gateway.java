package sluice.gateway;

import io.grpc.BindableService;
import io.grpc.Server;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import sluice.catalog.ResourceCatalog;
import sluice.crypto.NodeId;
import sluice.crypto.pki.NodeCredentials;
import sluice.gateway.policy.AccessPolicy;
import sluice.gateway.policy.Enforcement;

/**
 * A running gateway: the national hub ({@code national}) or a provincial gateway
 * ({@code prov-CC}). It serves VerifyService to its callers and forwards each admitted call
 * towards the resource's provider over mutual TLS; the hub also serves FederationService.
 *
 * <p>Build with {@link #builder()}; configuration is checked in {@link Builder#start()}.
 */
public final class Gateway implements AutoCloseable {
  private final NodeId id;
  private final Server server;
  private final NodeChannels channels;

  private Gateway(NodeId id, Server server, NodeChannels channels) {
    this.id = id;
    this.server = server;
    this.channels = channels;
  }

  public static Builder builder() {
    return new Builder();
  }

  public NodeId id() {
    return id;
  }

  /** The port the gateway listens on (useful when started on port 0). */
  public int port() {
    return server.getPort();
  }

  /** Stops accepting calls, lets calls in flight finish for up to 5 s, and closes channels. */
  @Override
  public void close() {
    NodeServer.stop(server);
    channels.close();
  }

  /** Collects a gateway's configuration; {@link #start()} validates it and starts serving. */
  public static final class Builder {
    private NodeCredentials credentials;
    private ResourceCatalog catalog;
    private NodeAddresses addresses;
    private Transport transport;
    private InetSocketAddress listen;
    private Duration defaultDeadline = Duration.ofSeconds(30);
    private AccessPolicy policy;

    private Builder() {}

    /** The gateway's own TLS and signing credentials; their node id is the gateway's id. */
    public Builder credentials(NodeCredentials credentials) {
      this.credentials = credentials;
      return this;
    }

    public Builder catalog(ResourceCatalog catalog) {
      this.catalog = catalog;
      return this;
    }

    public Builder addresses(NodeAddresses addresses) {
      this.addresses = addresses;
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
     * The access policy a provincial gateway enforces on every question (the hub routes only).
     * Without one, the gateway admits any question about a resource in its catalogue.
     */
    public Builder policy(AccessPolicy policy) {
      this.policy = Objects.requireNonNull(policy);
      return this;
    }

    /** Deadline for forwarded unary calls that arrive without one; zero for none. */
    public Builder defaultDeadline(Duration defaultDeadline) {
      this.defaultDeadline = Objects.requireNonNull(defaultDeadline);
      return this;
    }

    public Gateway start() throws IOException {
      require(credentials, "credentials");
      require(catalog, "catalog");
      require(addresses, "addresses");
      require(transport, "transport");
      require(listen, "listen address");
      NodeId id = credentials.id();
      if (id.isDepartment()) {
        throw new IllegalStateException(
            id + " is a department node; a gateway is national or prov-CC");
      }
      if (defaultDeadline.isNegative()) {
        throw new IllegalStateException("default deadline must not be negative");
      }
      NodeChannels channels = new NodeChannels(credentials, addresses, transport);
      List<BindableService> services = new ArrayList<>();
      services.add(
          new GatewayVerifyService(
              id, catalog, channels, defaultDeadline, policy == null ? null : new Enforcement(policy, id)));
      if (id.isHub()) {
        services.add(new HubFederationService(catalog));
      }
      try {
        Server server = NodeServer.start(transport, listen, credentials, services, List.of());
        return new Gateway(id, server, channels);
      } catch (IOException | RuntimeException e) {
        channels.close();
        throw e;
      }
    }

    private static void require(Object value, String what) {
      if (value == null) {
        throw new IllegalStateException("gateway " + what + " is not set");
      }
    }
  }
}
