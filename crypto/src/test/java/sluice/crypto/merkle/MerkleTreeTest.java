package sluice.crypto.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tree against the RFC 6962 / RFC 9162 test vectors in shared/vectors/merkle.txt (SHA-256,
 * and the same leaves under SM3), both ways: the proofs the tree makes are the published ones,
 * and the verifier accepts them and rejects altered ones.
 */
class MerkleTreeTest {
  static final HexFormat HEX = HexFormat.of();
  static final String[] LEAVES = {
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"
  };

  static MerkleTree tree(TreeHash hash) {
    MerkleTree t = new MerkleTree(hash);
    for (String leaf : LEAVES) {
      t.append(HEX.parseHex(leaf));
    }
    return t;
  }

  /** The vector lines of one hash's section. */
  static List<String[]> vectors(TreeHash hash) throws Exception {
    List<String[]> out = new ArrayList<>();
    String section = hash == TreeHash.SM3 ? "hash=sm3" : "hash=sha256";
    boolean in = false;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        MerkleTreeTest.class.getResourceAsStream("/vectors/merkle.txt"), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith("# Merkle tree hash")) {
          in = line.endsWith(section);
        } else if (in && !line.startsWith("#") && !line.isBlank()) {
          out.add(line.trim().split("\\s+"));
        }
      }
    }
    return out;
  }

  static long arg(String token) {
    return Long.parseLong(token.substring(token.indexOf('=') + 1));
  }

  static List<byte[]> hashes(String[] v, int from) {
    return Arrays.stream(v, from, v.length).map(HEX::parseHex).toList();
  }

  static void assertSameHashes(List<byte[]> expected, List<byte[]> actual) {
    assertEquals(expected.stream().map(HEX::formatHex).toList(), actual.stream().map(HEX::formatHex).toList());
  }

  @Test
  void sha256MatchesTheRfcVectors() throws Exception {
    check(TreeHash.SHA256);
  }

  @Test
  void sm3MatchesTheVectors() throws Exception {
    check(TreeHash.SM3);
  }

  void check(TreeHash hash) throws Exception {
    MerkleTree t = tree(hash);
    List<String[]> vectors = vectors(hash);
    assertTrue(vectors.size() > 20, "vectors read: " + vectors.size());
    int checked = 0;
    for (String[] v : vectors) {
      switch (v[0]) {
        case "empty_tree_root" -> assertEquals(v[1], HEX.formatHex(new MerkleTree(hash).root(0)));
        case "root" -> assertEquals(v[2], HEX.formatHex(t.root(arg(v[1]))), String.join(" ", v));
        case "inclusion" -> {
          long size = arg(v[1]);
          long index = arg(v[2]);
          List<byte[]> path = hashes(v, 3);
          assertSameHashes(path, t.inclusionProof(index, size));
          byte[] leaf = hash.leaf(HEX.parseHex(LEAVES[(int) index]));
          assertTrue(MerkleProofs.verifyInclusion(hash, leaf, index, size, path, t.root(size)), String.join(" ", v));
          assertFalse(MerkleProofs.verifyInclusion(hash, hash.leaf(new byte[] {9}), index, size, path, t.root(size)),
              "another entry is not included");
          if (size > 1) {
            assertFalse(MerkleProofs.verifyInclusion(hash, leaf, (index + 1) % size, size, path, t.root(size)),
                "not at another index");
          }
        }
        case "consistency" -> {
          long oldSize = arg(v[1]);
          long newSize = arg(v[2]);
          List<byte[]> proof = hashes(v, 3);
          assertSameHashes(proof, t.consistencyProof(oldSize, newSize));
          assertTrue(MerkleProofs.verifyConsistency(hash, oldSize, newSize, proof, t.root(oldSize), t.root(newSize)),
              String.join(" ", v));
          List<byte[]> altered = new ArrayList<>(proof);
          byte[] first = altered.get(0).clone();
          first[0] ^= 1;
          altered.set(0, first);
          assertFalse(MerkleProofs.verifyConsistency(hash, oldSize, newSize, altered, t.root(oldSize), t.root(newSize)),
              "an altered proof fails");
          assertFalse(MerkleProofs.verifyConsistency(hash, oldSize, newSize, proof, hash.leaf(new byte[] {9}),
              t.root(newSize)), "a rewritten history shows");
        }
        default -> throw new AssertionError("unknown vector " + v[0]);
      }
      checked++;
    }
    assertEquals(vectors.size(), checked);
  }

  @Test
  void everyProofBetweenEverySizeVerifies() {
    for (TreeHash hash : TreeHash.values()) {
      MerkleTree t = new MerkleTree(hash);
      for (int i = 0; i < 40; i++) {
        t.append(new byte[] {(byte) i, (byte) (i * 7)});
      }
      for (long n = 1; n <= 40; n++) {
        for (long m = 0; m < n; m++) {
          assertTrue(MerkleProofs.verifyInclusion(hash, hash.leaf(new byte[] {(byte) m, (byte) (m * 7)}), m, n,
              t.inclusionProof(m, n), t.root(n)), hash + " inclusion " + m + " in " + n);
        }
        for (long m = 0; m <= n; m++) {
          assertTrue(MerkleProofs.verifyConsistency(hash, m, n, t.consistencyProof(m, n), t.root(m), t.root(n)),
              hash + " consistency " + m + " -> " + n);
        }
      }
      assertArrayEquals(hash.empty(), t.root(0));
    }
  }

  /** MTH by the RFC 9162 definition, over the leaf data, with nothing cached. */
  private static byte[] definitionalRoot(TreeHash hash, List<byte[]> data, int from, int to) {
    int n = to - from;
    if (n == 0) {
      return hash.empty();
    }
    if (n == 1) {
      return hash.leaf(data.get(from));
    }
    int k = Integer.highestOneBit(n - 1);
    return hash.node(definitionalRoot(hash, data, from, from + k), definitionalRoot(hash, data, from + k, to));
  }

  @Test
  void everySizeUpToThreeHundredMatchesTheDefinitionAndItsProofsVerify() {
    for (TreeHash hash : TreeHash.values()) {
      MerkleTree t = new MerkleTree(hash);
      List<byte[]> data = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        byte[] d = ("entry " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        data.add(d);
        t.append(d);
      }
      for (int n = 0; n <= 300; n++) {
        assertArrayEquals(definitionalRoot(hash, data, 0, n), t.root(n), hash + " root of " + n);
        if (n == 0) {
          continue;
        }
        for (int m : new int[] {0, n / 3, n / 2, n - 1}) {
          assertTrue(MerkleProofs.verifyInclusion(hash, hash.leaf(data.get(m)), m, n, t.inclusionProof(m, n), t.root(n)),
              hash + " inclusion " + m + " in " + n);
          assertTrue(MerkleProofs.verifyConsistency(hash, m, n, t.consistencyProof(m, n), t.root(m), t.root(n)),
              hash + " consistency " + m + " -> " + n);
        }
      }
    }
  }
}
