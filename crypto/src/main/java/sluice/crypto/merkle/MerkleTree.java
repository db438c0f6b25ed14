package sluice.crypto.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * An append-only Merkle tree over leaf hashes, in memory: the tree head at any size it has had,
 * and inclusion and consistency proofs between sizes (RFC 9162 sections 2.1.1, 2.1.3.1 and
 * 2.1.4.1). Not thread-safe; the audit log confines it to its writer.
 */
public final class MerkleTree {
  private final TreeHash hash;
  private final List<byte[]> leaves = new ArrayList<>();

  public MerkleTree(TreeHash hash) {
    this.hash = hash;
  }

  /** Appends the entry {@code data} and returns its index. */
  public long append(byte[] data) {
    leaves.add(hash.leaf(data));
    return leaves.size() - 1L;
  }

  public long size() {
    return leaves.size();
  }

  /** The tree head of the first {@code size} leaves. */
  public byte[] root(long size) {
    requireSize(size);
    return size == 0 ? hash.empty() : mth(0, (int) size);
  }

  /** The audit path of leaf {@code index} in the tree of the first {@code size} leaves. */
  public List<byte[]> inclusionProof(long index, long size) {
    requireSize(size);
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + size);
    }
    List<byte[]> path = new ArrayList<>();
    path((int) index, 0, (int) size, path);
    return path;
  }

  /** The proof that the tree of {@code oldSize} leaves is a prefix of the tree of {@code newSize}. */
  public List<byte[]> consistencyProof(long oldSize, long newSize) {
    requireSize(newSize);
    if (oldSize < 0 || oldSize > newSize) {
      throw new IllegalArgumentException("size " + oldSize + " is not between 0 and " + newSize);
    }
    List<byte[]> proof = new ArrayList<>();
    if (oldSize > 0 && oldSize < newSize) {
      subproof((int) oldSize, 0, (int) newSize, true, proof);
    }
    return proof;
  }

  /** MTH(D[from:to]). */
  private byte[] mth(int from, int to) {
    int n = to - from;
    if (n == 1) {
      return leaves.get(from);
    }
    int k = split(n);
    return hash.node(mth(from, from + k), mth(from + k, to));
  }

  private void path(int m, int from, int to, List<byte[]> out) {
    int n = to - from;
    if (n == 1) {
      return;
    }
    int k = split(n);
    if (m < k) {
      path(m, from, from + k, out);
      out.add(mth(from + k, to));
    } else {
      path(m - k, from + k, to, out);
      out.add(mth(from, from + k));
    }
  }

  private void subproof(int m, int from, int to, boolean whole, List<byte[]> out) {
    int n = to - from;
    if (m == n) {
      if (!whole) {
        out.add(mth(from, to));
      }
      return;
    }
    int k = split(n);
    if (m <= k) {
      subproof(m, from, from + k, whole, out);
      out.add(mth(from + k, to));
    } else {
      subproof(m - k, from + k, to, false, out);
      out.add(mth(from, from + k));
    }
  }

  /** The largest power of two smaller than {@code n} (n > 1). */
  static int split(int n) {
    return Integer.highestOneBit(n - 1);
  }

  private void requireSize(long size) {
    if (size < 0 || size > leaves.size()) {
      throw new IllegalArgumentException("the tree has " + leaves.size() + " leaves, not " + size);
    }
  }
}
