package sluice.crypto.curve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;

/**
 * P256_XMD:SHA-256_SSWU_RO_ against RFC 9380 Appendix J.1.1 (shared/vectors/crypto.txt), and
 * expand_message_xmd's limits.
 */
class SswuHashToCurveTest {
  static final byte[] DST = ExpandMessageXmd.tag("QUUX-V01-CS02-with-P256_XMD:SHA-256_SSWU_RO_");

  @Test
  void p256MatchesTheRfcVectors() throws Exception {
    int checked = 0;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        SswuHashToCurveTest.class.getResourceAsStream("/vectors/crypto.txt"), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (!line.startsWith("h2c ")) {
          continue;
        }
        Map<String, String> v = new HashMap<>();
        for (String part : line.substring(4).split(" ")) {
          int eq = part.indexOf('=');
          v.put(part.substring(0, eq), part.substring(eq + 1).replace("\"", ""));
        }
        ECPoint q = SswuHashToCurve.P256.hash(v.get("msg").getBytes(StandardCharsets.UTF_8), DST);
        assertTrue(q.isValid());
        assertEquals(v.get("x"), String.format("%064x", q.getAffineXCoord().toBigInteger()), "x of \"" + v.get("msg") + "\"");
        if (v.containsKey("y")) {
          assertEquals(v.get("y"), String.format("%064x", q.getAffineYCoord().toBigInteger()));
        }
        checked++;
      }
    }
    assertTrue(checked >= 2, "the vectors were read: " + checked);
  }

  @Test
  void eachSuitesZIsWhatRfc9380AppendixH2Finds() {
    for (SswuHashToCurve suite : new SswuHashToCurve[] {SswuHashToCurve.P256, SswuHashToCurve.SM2}) {
      var c = suite.curve();
      BigInteger p = c.getField().getCharacteristic();
      assertEquals(FindZ.find(p, c.getA().toBigInteger(), c.getB().toBigInteger()).mod(p), suite.z());
    }
    assertEquals(BigInteger.valueOf(-10), FindZ.find(SswuHashToCurve.P256.curve().getField().getCharacteristic(),
        SswuHashToCurve.P256.curve().getA().toBigInteger(), SswuHashToCurve.P256.curve().getB().toBigInteger()),
        "the search gives the RFC's own Z for P-256");
  }

  @Test
  void sm2SuiteHashesDeterministicallyOntoSm2sCurve() {
    byte[] dst = ExpandMessageXmd.tag("SLUICE-PSI-V01-CS01-with-SM2_XMD:SM3_SSWU_RO_");
    ECPoint a = SswuHashToCurve.SM2.hash("110101199003077777".getBytes(StandardCharsets.UTF_8), dst);
    ECPoint again = SswuHashToCurve.SM2.hash("110101199003077777".getBytes(StandardCharsets.UTF_8), dst);
    ECPoint b = SswuHashToCurve.SM2.hash("110101199003077778".getBytes(StandardCharsets.UTF_8), dst);
    assertTrue(a.isValid() && b.isValid());
    assertEquals(a, again);
    assertNotEquals(a, b);
    assertEquals(org.bouncycastle.crypto.ec.CustomNamedCurves.getByName("sm2p256v1").getCurve(), a.getCurve());
    for (int i = 0; i < 200; i++) {
      assertTrue(SswuHashToCurve.SM2.hash(("subject " + i).getBytes(StandardCharsets.UTF_8), dst).isValid());
    }
  }

  @Test
  void distinctMessagesAndTagsGiveDistinctPointsOnTheCurve() {
    ECPoint a = SswuHashToCurve.P256.hash("110101199003077777".getBytes(StandardCharsets.UTF_8), DST);
    ECPoint b = SswuHashToCurve.P256.hash("110101199003077778".getBytes(StandardCharsets.UTF_8), DST);
    ECPoint c = SswuHashToCurve.P256.hash("110101199003077777".getBytes(StandardCharsets.UTF_8), ExpandMessageXmd.tag("other"));
    assertTrue(a.isValid() && b.isValid() && c.isValid());
    assertNotEquals(a, b);
    assertNotEquals(a, c);
  }

  @Test
  void expandMessageRefusesWhatTheRfcForbids() {
    ExpandMessageXmd x = new ExpandMessageXmd(SHA256Digest::new);
    assertEquals(96, x.expand(new byte[0], DST, 96).length);
    assertThrows(IllegalArgumentException.class, () -> x.expand(new byte[0], new byte[0], 32));
    assertThrows(IllegalArgumentException.class, () -> x.expand(new byte[0], new byte[256], 32));
    assertThrows(IllegalArgumentException.class, () -> x.expand(new byte[0], DST, 256 * 32));
  }
}
