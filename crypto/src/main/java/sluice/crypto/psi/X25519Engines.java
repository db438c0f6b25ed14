package sluice.crypto.psi;

import java.security.SecureRandom;
import java.util.Arrays;
import sluice.crypto.Hex;

/**
 * Which {@link X25519Engine} PSI uses: the system's OpenSSL 3 when it loads and gives RFC 7748's
 * answers, otherwise BouncyCastle. The choice is made once, on first use, and logged; both engines
 * give the same bytes, so the choice changes speed only.
 */
public final class X25519Engines {
  private static final System.Logger LOG = System.getLogger(X25519Engines.class.getName());

  private X25519Engines() {}

  /** BouncyCastle's X25519, always available. */
  public static X25519Engine bouncyCastle() {
    return BouncyCastleX25519.INSTANCE;
  }

  /** The fastest engine that loads here and passes the known-answer checks. */
  public static X25519Engine preferred() {
    return Preferred.ENGINE;
  }

  /**
   * The system's OpenSSL X25519, checked against RFC 7748 §5.2 and against BouncyCastle.
   *
   * @throws UnsupportedOperationException saying why it cannot be used here
   */
  public static X25519Engine openSsl() {
    OpenSslX25519 engine = OpenSslX25519.load();
    String wrong = knownAnswerFailure(engine);
    if (wrong != null) {
      throw new UnsupportedOperationException(engine.name() + " " + wrong);
    }
    return engine;
  }

  private static final class Preferred {
    static final X25519Engine ENGINE = choose();

    private static X25519Engine choose() {
      try {
        X25519Engine engine = openSsl();
        LOG.log(System.Logger.Level.INFO, "X25519 for PSI: " + engine.name());
        return engine;
      } catch (UnsupportedOperationException | IllegalStateException e) {
        LOG.log(System.Logger.Level.WARNING, "X25519 for PSI: BouncyCastle, about 2.5 times slower, because "
            + e.getMessage());
        return bouncyCastle();
      }
    }
  }

  /** Null when {@code engine} gives RFC 7748's answers and BouncyCastle's; otherwise what it got wrong. */
  static String knownAnswerFailure(X25519Engine engine) {
    // RFC 7748 section 5.2, both test vectors (the second has the top bit of u set).
    String[][] vectors = {
        {"a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
            "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
            "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"},
        {"4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
            "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
            "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"}};
    byte[] out = new byte[32];
    for (String[] v : vectors) {
      try (X25519Engine.Key key = engine.prepare(Hex.decode(v[0]))) {
        if (!key.multiply(Hex.decode(v[1]), out) || !Arrays.equals(out, Hex.decode(v[2]))) {
          return "does not give RFC 7748's answer for u = " + v[1];
        }
        if (key.multiply(new byte[32], out)) {
          return "does not report the all-zero result of u = 0";
        }
      }
    }
    SecureRandom random = new SecureRandom();
    byte[] scalar = new byte[32];
    byte[] u = new byte[32];
    byte[] expected = new byte[32];
    for (int i = 0; i < 8; i++) {
      random.nextBytes(scalar);
      random.nextBytes(u);
      try (X25519Engine.Key key = engine.prepare(scalar)) {
        boolean nonZero = BouncyCastleX25519.multiply(scalar, u, expected);
        if (key.multiply(u, out) != nonZero || !Arrays.equals(out, expected)) {
          return "differs from BouncyCastle for u = " + Hex.encode(u);
        }
      }
    }
    return null;
  }
}
