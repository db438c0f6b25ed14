package sluice.crypto.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tree that spills its hashes to files answers exactly as one held in memory (heads, inclusion
 * and consistency proofs, old leaves and new, across many chunks), and removes its files when
 * closed.
 */
class SpillingTreeTest {
  @TempDir Path dir;

  @Test
  void answersAsTheTreeInMemoryDoesAndLeavesNoFiles() throws Exception {
    int n = 3 * 4096 * 2 + 77; // several chunks at level 0, and at level 1, plus a partial one
    Path spill = dir.resolve("tree");
    try (MerkleTree memory = new MerkleTree(TreeHash.SM3); MerkleTree spilling = MerkleTree.spilling(TreeHash.SM3, spill)) {
      for (int i = 0; i < n; i++) {
        byte[] e = ("entry " + i).getBytes(StandardCharsets.UTF_8);
        assertEquals(memory.append(e), spilling.append(e));
      }
      try (Stream<Path> files = Files.list(spill)) {
        assertTrue(files.anyMatch(f -> f.getFileName().toString().equals("level-0")), "level 0 spilled");
      }
      Random r = new Random(7);
      for (int k = 0; k < 300; k++) {
        long size = 1 + r.nextInt(n);
        long index = r.nextInt((int) size);
        long older = 1 + r.nextInt((int) size);
        assertArrayEquals(memory.root(size), spilling.root(size), "root at " + size);
        assertProofs(memory.inclusionProof(index, size), spilling.inclusionProof(index, size));
        assertProofs(memory.consistencyProof(older, size), spilling.consistencyProof(older, size));
      }
      assertProofs(memory.frontier(n), spilling.frontier(n));
    }
    try (Stream<Path> files = Files.list(spill)) {
      assertFalse(files.findAny().isPresent(), "closing removes the spill files");
    }
  }

  static void assertProofs(List<byte[]> expected, List<byte[]> actual) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i));
    }
  }
}
