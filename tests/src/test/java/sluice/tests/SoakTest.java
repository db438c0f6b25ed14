package sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.bench.Soak;

/**
 * The soak of issue 8, bounded: {@code sluice.soak.seconds} (60 in {@code mvn -B verify}, where
 * it runs in a JVM of its own so that its heap holds nothing but this federation; 600 with
 * {@code ./sluice bench soak}) at 80 % of saturation, with no error and no growth of the live
 * heap after warm-up (beyond 16 MB of what collections leave behind at random).
 */
class SoakTest {
  @TempDir Path work;

  @Test
  void eightyPercentOfSaturationWithoutErrorsOrHeapGrowth() throws Exception {
    int seconds = Integer.getInteger("sluice.soak.seconds", 60);
    Soak.Report r = Soak.soak(work, seconds, System.out);
    assertEquals(0, r.errors(), "errors during the soak");
    assertTrue(r.calls() > 0, "calls were made");
    assertFalse(r.heapGrew(), "live heap grew " + r.growth() / 1_000_000 + " MB after warm-up: " + r.heapAfterSlices());
  }
}
