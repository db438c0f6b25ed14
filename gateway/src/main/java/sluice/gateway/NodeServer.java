package sluice.gateway;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import sluice.crypto.pki.NodeCredentials;
import sluice.crypto.pki.TlsContexts;
import sluice.gateway.identity.RefusalAudit;
import sluice.gateway.identity.TlsIdentityInterceptor;

/**
 * Starts a node's gRPC server the one way every Sluice node is served: mutual TLS with the
 * node's credentials, caller identity from the peer certificate, and errors marked with their
 * origin. {@code extra} interceptors (metrics, tests' message capture) run inside those.
 *
 * <p>Every node also serves gRPC health checking ({@code grpc.health.v1.Health}, reporting what
 * {@code health} is told) and server reflection ({@code grpc.reflection.v1}), behind the same
 * mutual TLS: operators' probes present a federation certificate like any caller.
 */
public final class NodeServer {
  private NodeServer() {}

  public static Server start(
      Transport transport,
      InetSocketAddress listen,
      NodeCredentials credentials,
      List<BindableService> services,
      List<ServerInterceptor> extra,
      HealthStatusManager health)
      throws IOException {
    return start(transport, listen, credentials, services, extra, health, RefusalAudit.none(), null);
  }

  /**
   * As {@link #start(Transport, InetSocketAddress, NodeCredentials, List, List, HealthStatusManager)},
   * recording in {@code refusals} every client certificate refused in a TLS handshake and every
   * call refused before it had an identity, with {@code outermost} (metrics; null for none)
   * seeing every call first and its final status last, refusals before identity included.
   */
  public static Server start(
      Transport transport,
      InetSocketAddress listen,
      NodeCredentials credentials,
      List<BindableService> services,
      List<ServerInterceptor> extra,
      HealthStatusManager health,
      RefusalAudit refusals,
      ServerInterceptor outermost)
      throws IOException {
    // A node that keeps refusals lets a client without a certificate finish the handshake: its
    // calls are then refused UNAUTHENTICATED by the identity check below, and recorded.
    NettyServerBuilder builder = transport.serverBuilder(listen, refusals.kept()
        ? TlsContexts.serverRecordingAnonymous(credentials, transport.revocations(), refusals)
        : TlsContexts.server(credentials, transport.revocations(), refusals));
    ErrorOriginInterceptor origin = new ErrorOriginInterceptor(credentials.id());
    TlsIdentityInterceptor identity =
        new TlsIdentityInterceptor(transport.revocations(), credentials.trustRoots(), refusals);
    List<BindableService> all = new ArrayList<>(services);
    all.add(health.getHealthService());
    all.add(ProtoReflectionServiceV1.newInstance());
    UnreadableRequests unreadable = new UnreadableRequests(refusals);
    for (BindableService service : all) {
      // The last interceptor listed runs first: mark errors, establish identity, refuse what
      // cannot be read (messages are read into their types there), then the node's own
      // interceptors see every call with its identity.
      ServerServiceDefinition typed = ServerInterceptors.intercept(service, extra);
      ServerServiceDefinition served =
          ServerInterceptors.intercept(UnreadableRequests.readLater(typed), unreadable, identity, origin);
      builder.addService(outermost == null ? served : ServerInterceptors.intercept(served, outermost));
    }
    return builder.build().start();
  }

  /** Stops accepting calls, lets calls in flight finish for up to 5 s, then cancels the rest. */
  public static void stop(Server server) {
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
    }
  }
}
