package sluice.crypto.merkle;

import java.security.MessageDigest;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SM3Digest;

/**
 * The hash of a Merkle tree: leaves hashed with a 0x00 prefix, interior nodes with 0x01 (RFC 9162
 * section 2.1.1), so a leaf can never pass for a node. SM3 by default, SHA-256 for outside
 * verifiers. Thread-safe.
 */
public enum TreeHash {
  SM3,
  SHA256;

  /** The length of a hash in bytes (32 for both). */
  public int length() {
    return 32;
  }

  /** The hash of the empty tree: HASH() of nothing. */
  public byte[] empty() {
    return hash(new byte[0][]);
  }

  public byte[] leaf(byte[] data) {
    return hash(new byte[] {0}, data);
  }

  public byte[] node(byte[] left, byte[] right) {
    return hash(new byte[] {1}, left, right);
  }

  private byte[] hash(byte[]... parts) {
    Digest d = this == SM3 ? new SM3Digest() : new SHA256Digest();
    for (byte[] p : parts) {
      d.update(p, 0, p.length);
    }
    byte[] out = new byte[d.getDigestSize()];
    d.doFinal(out, 0);
    return out;
  }

  /** Whether two hashes are equal, in time independent of where they differ. */
  public static boolean same(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }
}
