package sluice.crypto.psi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sluice.crypto.Hex;

/**
 * Each X25519 engine gives RFC 7748's answers and the same bytes as the others, reports low-order
 * inputs, serves threads at once and refuses use after close. With SLUICE_TEST_OPENSSL=1 (CI sets
 * it) OpenSSL must load: otherwise its cases are skipped on machines without libcrypto 3.
 */
class X25519EngineTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));

  static Stream<X25519Engine> engines() {
    List<X25519Engine> engines = new ArrayList<>(List.of(X25519Engines.bouncyCastle()));
    openSsl().ifPresent(engines::add);
    return engines.stream();
  }

  private static java.util.Optional<X25519Engine> openSsl() {
    try {
      return java.util.Optional.of(X25519Engines.openSsl());
    } catch (UnsupportedOperationException e) {
      if ("1".equals(System.getenv("SLUICE_TEST_OPENSSL"))) {
        throw new AssertionError("SLUICE_TEST_OPENSSL=1 but OpenSSL's X25519 is not usable: " + e.getMessage(), e);
      }
      return java.util.Optional.empty();
    }
  }

  private static byte[] littleEndian(BigInteger v) {
    byte[] big = v.toByteArray();
    byte[] out = new byte[32];
    for (int i = 0; i < 32 && i < big.length; i++) {
      out[i] = big[big.length - 1 - i];
    }
    return out;
  }

  @ParameterizedTest
  @MethodSource("engines")
  void givesRfc7748Answers(X25519Engine engine) {
    assertNull(X25519Engines.knownAnswerFailure(engine), engine.name());
    // RFC 7748 section 5.2, the iterated test: k = u = 9, then k <- X25519(k, u), u <- old k.
    byte[] k = new byte[32];
    k[0] = 9;
    byte[] u = k.clone();
    byte[] out = new byte[32];
    for (int i = 1; i <= 1000; i++) {
      try (X25519Engine.Key key = engine.prepare(k)) {
        assertTrue(key.multiply(u, out));
      }
      u = k;
      k = out.clone();
      if (i == 1) {
        assertEquals("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079", Hex.encode(k));
      }
    }
    assertEquals("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51", Hex.encode(k));
  }

  @ParameterizedTest
  @MethodSource("engines")
  void reportsLowOrderInputsAsAllZero(X25519Engine engine) {
    // The u-coordinates of points of order 1, 2, 4 and 8, and their non-canonical forms
    // (the list libsodium and RFC 7748 section 6.1's discussion refer to).
    List<BigInteger> lowOrder = List.of(BigInteger.ZERO, BigInteger.ONE,
        new BigInteger("325606250916557431795983626356110631294008115727848805560023387167927233504"),
        new BigInteger("39382357235489614581723060781553021112529911719440698176882885853963445705823"),
        P.subtract(BigInteger.ONE), P, P.add(BigInteger.ONE));
    byte[] scalar = new byte[32];
    RANDOM.nextBytes(scalar);
    try (X25519Engine.Key key = engine.prepare(scalar)) {
      for (BigInteger u : lowOrder) {
        byte[] out = new byte[32];
        Arrays.fill(out, (byte) 7);
        assertFalse(key.multiply(littleEndian(u), out), "u = " + u);
        assertArrayEquals(new byte[32], out, "all zeros for u = " + u);
      }
    }
  }

  @Test
  void enginesAgreeOnRandomAndNonCanonicalInputs() {
    List<X25519Engine> engines = engines().toList();
    assumeTrue(engines.size() > 1, "OpenSSL's libcrypto 3 is not here; nothing to compare");
    byte[] scalar = new byte[32];
    byte[] u = new byte[32];
    for (int i = 0; i < 2000; i++) {
      RANDOM.nextBytes(scalar);
      RANDOM.nextBytes(u);
      if (i % 4 == 0) {
        // u in [p, 2^255): not reduced; the engines must reduce it the same way.
        byte[] big = littleEndian(P.add(BigInteger.valueOf(RANDOM.nextInt(19))));
        u = big;
      }
      byte[] first = null;
      for (X25519Engine engine : engines) {
        byte[] out = new byte[32];
        try (X25519Engine.Key key = engine.prepare(scalar)) {
          key.multiply(u, out);
        }
        if (first == null) {
          first = out;
        } else {
          assertArrayEquals(first, out, engine.name() + " on u = " + Hex.encode(u));
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("engines")
  void oneKeyServesThreadsAtOnceAndRefusesUseAfterClose(X25519Engine engine) throws Exception {
    byte[] scalar = new byte[32];
    RANDOM.nextBytes(scalar);
    X25519Engine.Key key = engine.prepare(scalar);
    byte[][] inputs = new byte[400][32];
    byte[][] expected = new byte[400][32];
    for (int i = 0; i < inputs.length; i++) {
      RANDOM.nextBytes(inputs[i]);
      BouncyCastleX25519.multiply(scalar, inputs[i], expected[i]);
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        done.add(pool.submit(() -> {
          for (int i = 0; i < inputs.length; i++) {
            byte[] out = new byte[32];
            key.multiply(inputs[i], out);
            assertArrayEquals(expected[i], out);
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    key.close();
    key.close();
    assertThrows(IllegalStateException.class, () -> key.multiply(inputs[0], new byte[32]));
    assertThrows(IllegalArgumentException.class, () -> engine.prepare(new byte[31]));
  }

  @Test
  void psiGroupsOnDifferentEnginesFindTheSameElements() throws Exception {
    List<X25519Engine> engines = engines().toList();
    assumeTrue(engines.size() > 1, "OpenSSL's libcrypto 3 is not here; nothing to compare");
    PsiGroup a = PsiSuite.X25519_SHA256.group(engines.get(0));
    PsiGroup b = PsiSuite.X25519_SHA256.group(engines.get(1));
    PsiKey ka = a.newKey(RANDOM);
    PsiKey kb = b.newKey(RANDOM);
    byte[] e = "110101199003070014".getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(a.tag(b.remask(kb, a.mask(ka, e))), b.tag(a.remask(ka, b.mask(kb, e))),
        "a party on " + engines.get(0).name() + " and one on " + engines.get(1).name() + " match an element");
    assertThrows(IllegalArgumentException.class, () -> PsiSuite.SM2_SM3_SSWU.group(engines.get(0)));
    ka.destroy();
    assertThrows(IllegalStateException.class, () -> a.mask(ka, e));
  }

  @Test
  void thePreferredEngineIsOpenSslWhereItLoads() {
    boolean openSslHere = openSsl().isPresent();
    assertEquals(openSslHere, X25519Engines.preferred().name().startsWith("OpenSSL"), X25519Engines.preferred().name());
  }
}
