package sluice.gateway.identity;

import io.grpc.Context;
import io.grpc.Metadata;
import java.util.Optional;
import sluice.crypto.NodeId;
import sluice.gateway.SluiceHeaders;

/**
 * Request-scoped facts about who is calling, set by {@link TlsIdentityInterceptor} from the
 * verified TLS session. Handlers read them; nothing else sets them.
 */
public final class CallerIdentity {
  private CallerIdentity() {}

  /** The directly connected peer, from its verified certificate. */
  static final Context.Key<NodeId> PEER = Context.key("sluice-peer");

  /** The raw headers of the call, for forwarding-related keys (consumer, request id). */
  static final Context.Key<Metadata> HEADERS = Context.key("sluice-headers");

  /** The verified peer of the current call; present in every call that passed the interceptor. */
  public static NodeId peer() {
    NodeId id = PEER.get();
    if (id == null) {
      throw new IllegalStateException("no caller identity: TlsIdentityInterceptor is not installed");
    }
    return id;
  }

  /** The consumer a forwarding peer asserted in {@link SluiceHeaders#CONSUMER}, unverified. */
  public static Optional<String> assertedConsumer() {
    Metadata h = HEADERS.get();
    return h == null ? Optional.empty() : Optional.ofNullable(h.get(SluiceHeaders.CONSUMER));
  }

  /** A header of the current call, as sent (unverified: check who the peer is first). */
  public static <T> Optional<T> header(Metadata.Key<T> key) {
    Metadata h = HEADERS.get();
    return h == null ? Optional.empty() : Optional.ofNullable(h.get(key));
  }

  /** The request id carried by a forwarding peer, unverified. */
  public static Optional<String> forwardedRequestId() {
    Metadata h = HEADERS.get();
    return h == null ? Optional.empty() : Optional.ofNullable(h.get(SluiceHeaders.REQUEST_ID));
  }
}
