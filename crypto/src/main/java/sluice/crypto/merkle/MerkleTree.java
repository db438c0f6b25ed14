package sluice.crypto.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * An append-only Merkle tree, in memory: the tree head at any size it has had, and inclusion and
 * consistency proofs between sizes (RFC 9162 sections 2.1.1, 2.1.3.1 and 2.1.4.1). It keeps the
 * hash of every complete subtree, so a tree head or proof costs O(log² n) hashes, not O(n).
 * Not thread-safe; the audit log guards it.
 */
public final class MerkleTree {
  private final TreeHash hash;
  private final HashLevels levels;

  public MerkleTree(TreeHash hash) {
    this.hash = hash;
    this.levels = new HashLevels(hash.empty().length);
  }

  public TreeHash hash() {
    return hash;
  }

  /** Appends the entry {@code data} and returns its index. */
  public long append(byte[] data) {
    levels.appendLeaf(hash.leaf(data), hash);
    return levels.leaves() - 1;
  }

  public long size() {
    return levels.leaves();
  }

  /** The tree head of the first {@code size} leaves. */
  public byte[] root(long size) {
    requireSize(size);
    return size == 0 ? hash.empty() : mth(0, size);
  }

  /** The audit path of leaf {@code index} in the tree of the first {@code size} leaves. */
  public List<byte[]> inclusionProof(long index, long size) {
    requireSize(size);
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + size);
    }
    List<byte[]> path = new ArrayList<>();
    path(index, 0, size, path);
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
      subproof(oldSize, 0, newSize, true, proof);
    }
    return proof;
  }

  /** MTH(D[from:to]); a complete aligned subtree is read from its level. */
  private byte[] mth(long from, long to) {
    long n = to - from;
    if (Long.bitCount(n) == 1 && from % n == 0) {
      return levels.get(Long.numberOfTrailingZeros(n), from / n);
    }
    long k = split(n);
    return hash.node(mth(from, from + k), mth(from + k, to));
  }

  private void path(long m, long from, long to, List<byte[]> out) {
    long n = to - from;
    if (n == 1) {
      return;
    }
    long k = split(n);
    if (m < k) {
      path(m, from, from + k, out);
      out.add(mth(from + k, to));
    } else {
      path(m - k, from + k, to, out);
      out.add(mth(from, from + k));
    }
  }

  private void subproof(long m, long from, long to, boolean whole, List<byte[]> out) {
    long n = to - from;
    if (m == n) {
      if (!whole) {
        out.add(mth(from, to));
      }
      return;
    }
    long k = split(n);
    if (m <= k) {
      subproof(m, from, from + k, whole, out);
      out.add(mth(from + k, to));
    } else {
      subproof(m - k, from + k, to, false, out);
      out.add(mth(from, from + k));
    }
  }

  /** The largest power of two smaller than {@code n} (n > 1). */
  static long split(long n) {
    return Long.highestOneBit(n - 1);
  }

  private void requireSize(long size) {
    if (size < 0 || size > size()) {
      throw new IllegalArgumentException("the tree has " + size() + " leaves, not " + size);
    }
  }
}
