package sluice.gateway.psi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.crypto.psi.PsiGroup;

/** Spilled tags come back whole, each once, in the partition its leading bytes name; the files are private and deleted. */
class TagSpillTest {
  @TempDir Path work;

  @Test
  void everyTagComesBackOnceInItsPartition() throws Exception {
    Random r = new Random(7);
    int n = 10_000;
    byte[] tags = new byte[n * PsiGroup.TAG_LENGTH];
    r.nextBytes(tags);
    try (TagSpill spill = TagSpill.create(work, n, 1000)) {
      assertEquals(10, spill.partitions());
      for (int i = 0; i < n; i++) {
        spill.add(tags, i * PsiGroup.TAG_LENGTH, i);
      }
      Map<Integer, byte[]> back = new HashMap<>();
      long total = 0;
      for (int p = 0; p < spill.partitions(); p++) {
        byte[] records = spill.load(p);
        assertEquals(spill.size(p) * TagSpill.RECORD, records.length);
        assertTrue(spill.size(p) > 800 && spill.size(p) < 1200, "even partitions: " + spill.size(p));
        for (int off = 0; off < records.length; off += TagSpill.RECORD) {
          long lead = ((records[off] & 0xffL) << 24) | ((records[off + 1] & 0xff) << 16) | ((records[off + 2] & 0xff) << 8)
              | (records[off + 3] & 0xff);
          assertEquals(p, lead % spill.partitions());
          assertEquals(null, back.put(TagSpill.value(records, off), Arrays.copyOfRange(records, off, off + 12)));
        }
        total += spill.size(p);
      }
      assertEquals(n, total);
      for (int i = 0; i < n; i++) {
        assertArrayEquals(Arrays.copyOfRange(tags, i * 12, i * 12 + 12), back.get(i));
      }
      spill.clear();
      for (int p = 0; p < spill.partitions(); p++) {
        assertEquals(0, spill.load(p).length);
      }
      spill.add(tags, 0, Integer.MAX_VALUE - 1);
      long found = 0;
      for (int p = 0; p < spill.partitions(); p++) {
        byte[] records = spill.load(p);
        if (records.length > 0) {
          assertEquals(Integer.MAX_VALUE - 1, TagSpill.value(records, 0));
          found++;
        }
      }
      assertEquals(1, found);
    }
  }

  @Test
  void filesArePrivateAndDeletedOnClose() throws Exception {
    TagSpill spill = TagSpill.create(work, 100, 10);
    spill.add(new byte[12], 0, 1);
    Path dir;
    try (Stream<Path> dirs = Files.list(work)) {
      dir = dirs.findFirst().orElseThrow();
    }
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    spill.close();
    assertFalse(Files.exists(dir));
  }

  @Test
  void partitionsFollowTheExpectedCount() {
    try (TagSpill one = TagSpill.create(work, 5, 1000); TagSpill many = TagSpill.create(work, 1_000_001, 1000)) {
      assertEquals(1, one.partitions());
      assertEquals(1001, many.partitions());
    }
  }
}
