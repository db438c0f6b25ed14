package sluice.crypto.psi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TagTableTest {
  @Test
  void findsWhatWasPutAndNothingElse() {
    Random r = new Random(7);
    int n = 50_000;
    byte[] tags = new byte[n * 12];
    r.nextBytes(tags);
    TagTable t = new TagTable(n);
    for (int i = 0; i < n; i++) {
      assertTrue(t.put(tags, i * 12, i));
    }
    assertEquals(n, t.size());
    for (int i = 0; i < n; i++) {
      assertEquals(i, t.get(tags, i * 12));
    }
    byte[] absent = new byte[12];
    int misses = 0;
    for (int i = 0; i < 10_000; i++) {
      r.nextBytes(absent);
      misses += t.get(absent, 0) == -1 ? 1 : 0;
    }
    assertEquals(10_000, misses);
    // Same first 8 bytes, different last 4: a different tag.
    byte[] near = java.util.Arrays.copyOfRange(tags, 0, 12);
    near[11] ^= 1;
    assertEquals(-1, t.get(near, 0));
    assertFalse(t.put(tags, 0, 99), "a tag already present is not added twice");
    assertEquals(0, t.get(tags, 0));
  }

  @Test
  void refusesMoreThanItsCapacityAllows() {
    TagTable t = new TagTable(1);
    byte[] tag = new byte[12];
    for (int i = 0; i < 2; i++) {
      tag[0] = (byte) i;
      t.put(tag, 0, i);
    }
    tag[0] = 9;
    assertThrows(IllegalStateException.class, () -> t.put(tag, 0, 9));
    assertThrows(IllegalArgumentException.class, () -> new TagTable(-1));
  }
}
