package sluice.crypto.pki;

/**
 * Told of every client certificate chain a server refused in a TLS handshake (from an untrusted
 * CA, expired, revoked, or not a federation node's), with the presented certificate and the
 * reason, so that a gateway can audit attempts that never became calls. Runs on a network
 * thread: implementations must not block.
 */
@FunctionalInterface
public interface HandshakeRefusals {
  void refused(String reason);

  /** Tells no one. */
  static HandshakeRefusals none() {
    return reason -> {};
  }
}
