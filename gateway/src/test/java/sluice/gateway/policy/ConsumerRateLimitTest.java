package sluice.gateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import sluice.crypto.NodeId;

class ConsumerRateLimitTest {
  static final NodeId BJ = NodeId.parse("prov-11/dept-ca");
  static final NodeId SH = NodeId.parse("prov-31/dept-ca");

  @Test
  void aBurstPassesThenCallsWaitForTheRateAndConsumersAreSeparate() {
    ConsumerRateLimit limit = new ConsumerRateLimit(10, 3);
    long t = 1_000_000_000L;
    for (int i = 0; i < 3; i++) {
      assertEquals(0, limit.tryAcquire(BJ, t), "call " + i + " of the burst");
    }
    long wait = limit.tryAcquire(BJ, t);
    assertTrue(wait > 99_000_000 && wait <= 100_000_000, "one token comes back in 100 ms, not " + wait);
    assertEquals(0, limit.tryAcquire(SH, t), "another consumer has its own bucket");
    assertEquals(0, limit.tryAcquire(BJ, t + 100_000_000L), "after 100 ms one more passes");
    assertTrue(limit.tryAcquire(BJ, t + 100_000_000L) > 0);
    assertEquals(0, limit.tryAcquire(BJ, t + 10_000_000_000L));
    assertThrows(IllegalArgumentException.class, () -> new ConsumerRateLimit(0, 1));
  }
}
