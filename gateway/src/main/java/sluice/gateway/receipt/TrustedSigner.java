package sluice.gateway.receipt;

import java.security.PublicKey;
import java.time.Instant;
import sluice.crypto.NodeId;

/**
 * A signing certificate chain that validated to a federation root: the node it names, its key,
 * and the window in which every certificate of the chain is valid.
 */
record TrustedSigner(NodeId node, PublicKey key, Instant validFrom, Instant validTo) {
  boolean validAt(Instant at) {
    return !at.isBefore(validFrom) && !at.isAfter(validTo);
  }
}
