package sluice.gateway.identity;

import java.util.concurrent.CompletableFuture;
import sluice.crypto.pki.HandshakeRefusals;

/**
 * Where a node records attempts refused before its services saw them: client certificates
 * refused in TLS handshakes, calls whose connection carries no certificate or a revoked one, and
 * requests that cannot be read as the message the method takes. A gateway audits them; a
 * department node, whose gateway is its only caller, records nothing.
 */
public interface RefusalAudit extends HandshakeRefusals {
  /**
   * Records that a call to {@code operation} from {@code caller} (a node id, or where an
   * unauthenticated peer called from) was refused UNAUTHENTICATED for {@code reason}; the future
   * completes when the record is durable, or at once when it is not kept.
   */
  CompletableFuture<Void> unauthenticated(String operation, String caller, String reason);

  /**
   * Records that an authenticated {@code caller}'s request to {@code operation} was refused
   * INVALID_ARGUMENT because it could not be read ({@code reason}); completes as above.
   */
  CompletableFuture<Void> unreadable(String operation, String caller, String reason);

  /**
   * Whether these refusals are kept. A node that keeps them lets a client with no certificate
   * finish the TLS handshake, so that its calls are refused (UNAUTHENTICATED) where they can be
   * recorded; one that does not leaves the TLS stack to refuse it.
   */
  default boolean kept() {
    return true;
  }

  /** Records nothing. */
  static RefusalAudit none() {
    return new RefusalAudit() {
      @Override
      public boolean kept() {
        return false;
      }

      @Override
      public CompletableFuture<Void> unauthenticated(String operation, String caller, String reason) {
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public CompletableFuture<Void> unreadable(String operation, String caller, String reason) {
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public void refused(String reason) {}
    };
  }
}
