package sluice.crypto.psi;

import java.util.Arrays;
import org.bouncycastle.math.ec.rfc7748.X25519;

/** X25519 by BouncyCastle's constant-time Montgomery ladder: always available. */
final class BouncyCastleX25519 implements X25519Engine {
  static final BouncyCastleX25519 INSTANCE = new BouncyCastleX25519();

  private BouncyCastleX25519() {}

  @Override
  public String name() {
    return "BouncyCastle (org.bouncycastle.math.ec.rfc7748.X25519)";
  }

  @Override
  public Key prepare(byte[] scalar) {
    checkLength("scalar", scalar);
    return new Prepared(scalar.clone());
  }

  /** X25519(scalar, u) by BouncyCastle into {@code out}; whether it is other than all zeros. */
  static boolean multiply(byte[] scalar, byte[] u, byte[] out) {
    checkLength("u", u);
    checkLength("output", out);
    X25519.scalarMult(scalar, 0, u, 0, out, 0);
    int any = 0;
    for (byte b : out) {
      any |= b;
    }
    return any != 0;
  }

  static void checkLength(String what, byte[] bytes) {
    if (bytes.length != X25519.POINT_SIZE) {
      throw new IllegalArgumentException("an X25519 " + what + " is 32 bytes; got " + bytes.length);
    }
  }

  private static final class Prepared implements Key {
    private final byte[] scalar;
    private volatile boolean closed;

    Prepared(byte[] scalar) {
      this.scalar = scalar;
    }

    @Override
    public boolean multiply(byte[] u, byte[] out) {
      if (closed) {
        throw new IllegalStateException("this X25519 key was closed");
      }
      return BouncyCastleX25519.multiply(scalar, u, out);
    }

    @Override
    public void close() {
      closed = true;
      Arrays.fill(scalar, (byte) 0);
    }
  }
}
