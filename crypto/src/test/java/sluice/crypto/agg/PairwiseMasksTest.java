package sluice.crypto.agg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PairwiseMasksTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  void masksCancelInTheSumAndOnlyWithEveryone() {
    Map<String, ShareKeyPair> pairs = new LinkedHashMap<>();
    for (String p : new String[] {"prov-44/dept-hrss", "prov-11/dept-hrss", "prov-31/dept-hrss", "prov-50/dept-hrss"}) {
      pairs.put(p, new ShareKeyPair(RANDOM));
    }
    long[] counts = {17, 0, 123_456, 9};
    long[] sums = {-5, 0, 1L << 40, 77};
    long maskedCount = 0;
    long maskedSum = 0;
    long withoutLast = 0;
    int i = 0;
    for (var e : pairs.entrySet()) {
      Map<String, byte[]> others = new HashMap<>();
      pairs.forEach((k, v) -> {
        if (!k.equals(e.getKey())) {
          others.put(k, v.publicKey());
        }
      });
      long[] net = PairwiseMasks.net(e.getKey(), e.getValue(), others, "session-1", 2);
      assertNotEquals(0, net[0]);
      long c = counts[i] + net[0];
      assertNotEquals(counts[i], c, "a masked figure is not the figure");
      maskedCount += c;
      maskedSum += sums[i] + net[1];
      if (i < pairs.size() - 1) {
        withoutLast += c;
      }
      i++;
    }
    assertEquals(17 + 0 + 123_456 + 9, maskedCount);
    assertEquals(-5 + 0 + (1L << 40) + 77, maskedSum);
    long trueWithoutLast = 17 + 0 + 123_456;
    assertNotEquals(trueWithoutLast, withoutLast, "a missing participant leaves masks that do not cancel");
  }

  @Test
  void anotherSessionGivesOtherMasks() {
    ShareKeyPair a = new ShareKeyPair(RANDOM);
    ShareKeyPair b = new ShareKeyPair(RANDOM);
    long one = PairwiseMasks.net("a", a, Map.of("b", b.publicKey()), "s1", 1)[0];
    long two = PairwiseMasks.net("a", a, Map.of("b", b.publicKey()), "s2", 1)[0];
    assertNotEquals(one, two);
    assertEquals(-one, PairwiseMasks.net("b", b, Map.of("a", a.publicKey()), "s1", 1)[0]);
    assertThrows(IllegalArgumentException.class, () -> PairwiseMasks.net("a", a, Map.of("b", new byte[32]), "s1", 1));
    assertThrows(IllegalArgumentException.class, () -> PairwiseMasks.net("a", a, Map.of("a", b.publicKey()), "s1", 1));
  }
}
