package sluice.gateway;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.StatusOr;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Resolves a node run as several instances to each instance's address, for a channel that
 * spreads calls over them ({@code round_robin}) and skips an instance that is down or reports
 * NOT_SERVING (client-side health checking). The list is fixed: it is the federation file's.
 */
final class InstanceResolver extends NameResolver.Factory {
  /** The target scheme of such channels. */
  static final String SCHEME = "sluice-instances";

  /**
   * The service config of a channel over instances: round robin over the instances whose health
   * service reports SERVING for every service; and Verify and Query, which only read, tried up to
   * twice more (on another instance, after 0-50 ms, then 0-100 ms) when an attempt's connection
   * failed under it, as when an instance dies with calls in flight. An error a node answered is never retried: every Sluice
   * node's errors say so ({@link ErrorOriginInterceptor}).
   */
  static final Map<String, ?> SERVICE_CONFIG = Map.of(
      "loadBalancingConfig", List.of(Map.of("round_robin", Map.of())),
      "healthCheckConfig", Map.of("serviceName", ""),
      "methodConfig", List.of(Map.of(
          "name", List.of(
              Map.of("service", "sluice.v1.VerifyService", "method", "Verify"),
              Map.of("service", "sluice.v1.VerifyService", "method", "Query")),
          "retryPolicy", Map.of(
              "maxAttempts", 3.0,
              "initialBackoff", "0.05s",
              "maxBackoff", "0.5s",
              "backoffMultiplier", 2.0,
              "retryableStatusCodes", List.of("UNAVAILABLE")))));

  private final List<InetSocketAddress> addresses;
  private final String authority;

  InstanceResolver(List<InetSocketAddress> addresses) {
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("no instance addresses");
    }
    this.addresses = List.copyOf(addresses);
    InetSocketAddress first = addresses.get(0);
    this.authority = first.getHostString() + ":" + first.getPort();
  }

  @Override
  public NameResolver newNameResolver(URI target, NameResolver.Args args) {
    if (!SCHEME.equals(target.getScheme())) {
      return null;
    }
    return new NameResolver() {
      @Override
      public String getServiceAuthority() {
        return authority;
      }

      @Override
      public void start(Listener2 listener) {
        listener.onResult2(ResolutionResult.newBuilder()
            .setAddressesOrError(StatusOr.fromValue(
                addresses.stream().map(EquivalentAddressGroup::new).toList()))
            .build());
      }

      @Override
      public void shutdown() {}
    };
  }

  @Override
  public String getDefaultScheme() {
    return SCHEME;
  }
}
