package sluice.gateway.receipt;

import java.security.PublicKey;
import java.time.Instant;
import sluice.crypto.NodeId;

/**
 * A signing certificate chain that validated to a federation root: the node it names, its key,
 * the window in which every certificate of the chain is valid, and the revocation list it was
 * found unrevoked in.
 */
record TrustedSigner(NodeId node, PublicKey key, Instant validFrom, Instant validTo,
    sluice.crypto.pki.RevocationList checkedAgainst) {
  boolean validAt(Instant at) {
    return !at.isBefore(validFrom) && !at.isAfter(validTo);
  }
}
