package sluice.crypto.psi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import sluice.crypto.Hex;
import sluice.crypto.curve.TryAndIncrement;

/** Each suite's masking commutes, validates what a peer sends, and finds exactly the common elements. */
class PsiGroupTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @EnumSource(PsiSuite.class)
  void maskingCommutesAndSeparatesElements(PsiSuite suite) throws Exception {
    PsiGroup g = suite.group();
    PsiKey a = g.newKey(RANDOM);
    PsiKey b = g.newKey(RANDOM);
    byte[] e = utf8("110101199003070014");
    byte[] viaA = g.remask(b, g.mask(a, e));
    byte[] viaB = g.remask(a, g.mask(b, e));
    assertArrayEquals(viaA, viaB, "(H(e)^a)^b = (H(e)^b)^a");
    assertEquals(g.pointLength(), g.mask(a, e).length);
    assertArrayEquals(g.mask(a, e), g.mask(a, e), "masking is deterministic under one key");
    assertFalse(java.util.Arrays.equals(g.mask(a, e), g.mask(b, e)), "another key masks differently");
    byte[] other = g.remask(b, g.mask(a, utf8("110101199003070022")));
    assertFalse(java.util.Arrays.equals(g.tag(viaA), g.tag(other)));
    assertEquals(PsiGroup.TAG_LENGTH, g.tag(viaA).length);
  }

  @ParameterizedTest
  @EnumSource(PsiSuite.class)
  void intersectionMatchesPlainSetIntersection(PsiSuite suite) throws Exception {
    PsiGroup g = suite.group();
    for (int[] sizes : new int[][] {{0, 20}, {20, 0}, {30, 30}, {40, 25}}) {
      List<String> x = new ArrayList<>();
      List<String> y = new ArrayList<>();
      for (int i = 0; i < sizes[0]; i++) {
        x.add("id-" + RANDOM.nextInt(60));
      }
      for (int i = 0; i < sizes[1]; i++) {
        y.add("id-" + RANDOM.nextInt(60));
      }
      Set<String> expected = new HashSet<>(x);
      expected.retainAll(new HashSet<>(y));
      assertEquals(expected, intersect(g, x, y), suite + " " + x + " " + y);
    }
    List<String> same = List.of("a", "b", "c");
    assertEquals(Set.copyOf(same), intersect(g, same, same), "identical sets");
    assertEquals(Set.of(), intersect(g, List.of("a", "b"), List.of("c", "d")), "disjoint sets");
  }

  /** The receiver's view of one in-memory session: x's tags, then y's looked up among them. */
  private static Set<String> intersect(PsiGroup g, List<String> x, List<String> y) throws Exception {
    PsiKey a = g.newKey(RANDOM);
    PsiKey b = g.newKey(RANDOM);
    List<String> distinctX = new ArrayList<>(new java.util.LinkedHashSet<>(x));
    TagTable table = new TagTable(distinctX.size());
    for (int i = 0; i < distinctX.size(); i++) {
      byte[] sent = g.mask(a, utf8(distinctX.get(i)));
      assertTrue(table.put(g.tag(g.remask(b, sent)), 0, i));
    }
    Set<String> found = new HashSet<>();
    for (String e : new HashSet<>(y)) {
      int i = table.get(g.tag(g.remask(a, g.mask(b, utf8(e)))), 0);
      if (i >= 0) {
        found.add(distinctX.get(i));
      }
    }
    return found;
  }

  @ParameterizedTest
  @EnumSource(value = PsiSuite.class, names = {"SM2_SM3_SSWU", "SM2_SM3_TAI", "P256_SHA256_SSWU"})
  void weierstrassRefusesWhatIsNotAPoint(PsiSuite suite) {
    PsiGroup g = suite.group();
    PsiKey k = g.newKey(RANDOM);
    byte[] good = g.mask(k, utf8("x"));
    assertThrows(InvalidPointException.class, () -> g.remask(k, new byte[] {0}), "the identity");
    assertThrows(InvalidPointException.class, () -> g.remask(k, java.util.Arrays.copyOf(good, 32)), "short");
    byte[] uncompressed = new byte[65];
    uncompressed[0] = 4;
    assertThrows(InvalidPointException.class, () -> g.remask(k, uncompressed), "uncompressed form");
    // An x with no point over it: try x = 1, 2, ... until x^3 + ax + b is not a square.
    byte[] off = null;
    for (int x = 1; off == null; x++) {
      byte[] candidate = new byte[33];
      candidate[0] = 2;
      candidate[32] = (byte) x;
      try {
        g.remask(k, candidate);
      } catch (InvalidPointException e) {
        off = candidate;
      }
    }
    byte[] notOnCurve = off;
    InvalidPointException e = assertThrows(InvalidPointException.class, () -> g.remask(k, notOnCurve));
    assertTrue(e.getMessage().contains("not a point"), e.getMessage());
    byte[] allOnes = new byte[33];
    java.util.Arrays.fill(allOnes, (byte) 0xff);
    allOnes[0] = 3;
    assertThrows(InvalidPointException.class, () -> g.remask(k, allOnes), "x >= p");
  }

  @ParameterizedTest
  @EnumSource(value = PsiSuite.class, names = {"SM2_SM3_SSWU", "SM2_SM3_TAI", "P256_SHA256_SSWU"})
  void aBlindedEvaluationUnblindsToTheServersTag(PsiSuite suite) throws Exception {
    PsiGroup g = suite.group();
    PsiKey server = g.newKey(RANDOM);
    byte[] x = utf8("110101199003070014");
    PsiKey blind = g.newKey(RANDOM);
    byte[] blinded = g.mask(blind, x);
    assertFalse(java.util.Arrays.equals(blinded, g.mask(g.newKey(RANDOM), x)), "each blinding differs");
    byte[] evaluated = g.remask(server, blinded);
    assertArrayEquals(g.mask(server, x), g.unblind(blind, evaluated), "(H(x)^r)^k unblinded is H(x)^k");
    assertThrows(InvalidPointException.class, () -> g.unblind(blind, new byte[] {0}));
  }

  @Test
  void x25519KeysCannotBeInverted() {
    PsiGroup g = PsiSuite.X25519_SHA256.group();
    assertThrows(UnsupportedOperationException.class, () -> g.unblind(g.newKey(RANDOM), new byte[32]));
  }

  @Test
  void x25519RefusesLowOrderElements() {
    PsiGroup g = PsiSuite.X25519_SHA256.group();
    PsiKey k = g.newKey(RANDOM);
    assertThrows(InvalidPointException.class, () -> g.remask(k, new byte[32]), "u = 0");
    byte[] one = new byte[32];
    one[0] = 1;
    assertThrows(InvalidPointException.class, () -> g.remask(k, one), "u = 1");
    // A point of order 8 (RFC 7748 / libsodium's blocklist).
    byte[] order8 = Hex.decode("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800");
    assertThrows(InvalidPointException.class, () -> g.remask(k, order8));
    assertThrows(InvalidPointException.class, () -> g.remask(k, new byte[33]), "wrong length");
  }

  @Test
  void x25519AgreesWithRfc7748Section52() throws Exception {
    // RFC 7748 section 5.2, first test vector: the ladder this suite uses is X25519 itself.
    byte[] scalar = Hex.decode("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4");
    byte[] u = Hex.decode("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c");
    byte[] expected = Hex.decode("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
    PsiKey k = new PsiKey(PsiSuite.X25519_SHA256, X25519Engines.preferred().prepare(scalar));
    assertArrayEquals(expected, PsiSuite.X25519_SHA256.group().remask(k, u));
  }

  @Test
  void tryAndIncrementGivesDistinctEvenPointsOnTheCurve() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 300; i++) {
      ECPoint p = TryAndIncrement.SM2.hash(utf8("id" + i));
      assertTrue(p.isValid());
      assertFalse(p.getAffineYCoord().testBitZero(), "y is even");
      assertTrue(seen.add(p.getAffineXCoord().toBigInteger().toString(16)));
      assertEquals(p, TryAndIncrement.SM2.hash(utf8("id" + i)));
    }
    // x starts at SM3(msg) mod p: for "abc", SM3 (GB/T 32905 A.1) = 66c7f0f4...8f4ba8e0.
    BigInteger x0 = new BigInteger(1, sluice.crypto.Sm3.digest(utf8("abc")));
    BigInteger x = TryAndIncrement.SM2.hash(utf8("abc")).getAffineXCoord().toBigInteger();
    assertTrue(x.subtract(x0).signum() >= 0 && x.subtract(x0).compareTo(BigInteger.valueOf(200)) < 0,
        "x is SM3(msg) or a few increments past it");
  }

  @Test
  void keysAreFreshAndOfTheirSuite() {
    PsiGroup g = PsiSuite.SM2_SM3_SSWU.group();
    Set<String> masks = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      masks.add(Hex.encode(g.mask(g.newKey(RANDOM), utf8("e"))));
    }
    assertEquals(20, masks.size(), "20 fresh keys mask one element 20 ways");
    PsiKey p256 = PsiSuite.P256_SHA256_SSWU.group().newKey(RANDOM);
    assertThrows(IllegalArgumentException.class, () -> g.mask(p256, utf8("e")));
    p256.destroy();
    assertThrows(IllegalStateException.class, () -> PsiSuite.P256_SHA256_SSWU.group().mask(p256, utf8("e")));
    assertEquals(PsiSuite.SM2_SM3_TAI, PsiSuite.named("sm2_sm3_tai"));
    assertThrows(IllegalArgumentException.class, () -> PsiSuite.named("rsa"));
  }
}
