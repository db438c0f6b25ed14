package sluice.crypto.pki;

import java.nio.file.Path;

/**
 * Where a node's TLS checks find the federation's current {@link RevocationList}: none, a fixed
 * one, or a file the node watches and reads again when it changes ({@link WatchedRevocations}).
 */
public interface Revocations {
  /** The list in force now. */
  RevocationList current();

  /** No certificate is ever revoked (a node without a published revocation list). */
  static Revocations none() {
    return RevocationList::empty;
  }

  static Revocations fixed(RevocationList list) {
    return () -> list;
  }

  /** The PEM CRLs in {@code file}, read again within a second of each change; no file, no revocation. */
  static Revocations watching(Path file) {
    return new WatchedRevocations(file, java.time.Duration.ofSeconds(1));
  }
}
