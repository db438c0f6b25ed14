package sluice.crypto.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks Merkle proofs as a verifier who holds only tree heads: RFC 9162 sections 2.1.3.2
 * (inclusion) and 2.1.4.2 (consistency). Hashes are compared in constant time.
 */
public final class MerkleProofs {
  private MerkleProofs() {}

  /** Whether the entry whose leaf hash is {@code leaf} is at {@code index} in the tree of {@code size} with head {@code root}. */
  public static boolean verifyInclusion(
      TreeHash hash, byte[] leaf, long index, long size, List<byte[]> path, byte[] root) {
    if (index < 0 || index >= size) {
      return false;
    }
    long fn = index;
    long sn = size - 1;
    byte[] r = leaf;
    for (byte[] p : path) {
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = hash.node(p, r);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        r = hash.node(r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && TreeHash.same(r, root);
  }

  /** Whether the tree of {@code oldSize} with head {@code oldRoot} is a prefix of the tree of {@code newSize} with head {@code newRoot}. */
  public static boolean verifyConsistency(
      TreeHash hash, long oldSize, long newSize, List<byte[]> proof, byte[] oldRoot, byte[] newRoot) {
    if (oldSize < 0 || oldSize > newSize) {
      return false;
    }
    if (oldSize == newSize) {
      return proof.isEmpty() && TreeHash.same(oldRoot, newRoot);
    }
    if (oldSize == 0) {
      return proof.isEmpty();
    }
    if (proof.isEmpty()) {
      return false;
    }
    List<byte[]> c = new ArrayList<>(proof);
    if (Long.bitCount(oldSize) == 1) {
      c.add(0, oldRoot);
    }
    long fn = oldSize - 1;
    long sn = newSize - 1;
    while ((fn & 1) == 1) {
      fn >>= 1;
      sn >>= 1;
    }
    byte[] fr = c.get(0);
    byte[] sr = c.get(0);
    for (byte[] p : c.subList(1, c.size())) {
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = hash.node(p, fr);
        sr = hash.node(p, sr);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        sr = hash.node(sr, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && TreeHash.same(fr, oldRoot) && TreeHash.same(sr, newRoot);
  }
}
