package sluice.crypto.curve;

import java.math.BigInteger;

/**
 * RFC 9380 Appendix H.2, find_z_sswu, for a prime field: the first of 1, -1, 2, -2, ... that is
 * not a square, is not -1, leaves g(x) - Z irreducible (a cubic is irreducible exactly when it has
 * no root in the field), and makes g(B / (Z A)) a square. Polynomials are coefficient arrays, lowest
 * degree first. A test's cross-check of the constants the suites carry, not product code.
 */
final class FindZ {
  private FindZ() {}

  static BigInteger find(BigInteger p, BigInteger a, BigInteger b) {
    for (BigInteger ctr = BigInteger.ONE; ; ctr = ctr.add(BigInteger.ONE)) {
      for (BigInteger z : new BigInteger[] {ctr, ctr.negate()}) {
        if (good(p, a, b, z.mod(p))) {
          return z;
        }
      }
    }
  }

  static boolean good(BigInteger p, BigInteger a, BigInteger b, BigInteger z) {
    if (square(p, z) || z.equals(p.subtract(BigInteger.ONE))) {
      return false;
    }
    // f(x) = x^3 + a x + (b - z): irreducible iff no root, i.e. gcd(x^p - x, f) = 1.
    BigInteger[] f = {b.subtract(z).mod(p), a.mod(p), BigInteger.ZERO, BigInteger.ONE};
    BigInteger[] xp = powX(p, f);
    BigInteger[] h = {xp[0], xp[1].subtract(BigInteger.ONE).mod(p), xp[2]};
    if (degree(gcd(p, f, h)) >= 1) {
      return false;
    }
    BigInteger x = b.multiply(z.multiply(a).modInverse(p)).mod(p);
    BigInteger gx = x.pow(3).add(a.multiply(x)).add(b).mod(p);
    return square(p, gx);
  }

  static boolean square(BigInteger p, BigInteger v) {
    return v.signum() == 0 || v.modPow(p.subtract(BigInteger.ONE).shiftRight(1), p).equals(BigInteger.ONE);
  }

  /** x^p mod f (f monic cubic), as a polynomial of degree below 3. */
  static BigInteger[] powX(BigInteger p, BigInteger[] f) {
    BigInteger[] result = {BigInteger.ONE, BigInteger.ZERO, BigInteger.ZERO};
    BigInteger[] base = {BigInteger.ZERO, BigInteger.ONE, BigInteger.ZERO};
    for (int i = p.bitLength() - 1; i >= 0; i--) {
      result = mulMod(p, result, result, f);
      if (p.testBit(i)) {
        result = mulMod(p, result, base, f);
      }
    }
    return result;
  }

  static BigInteger[] mulMod(BigInteger p, BigInteger[] u, BigInteger[] v, BigInteger[] f) {
    BigInteger[] prod = new BigInteger[5];
    java.util.Arrays.fill(prod, BigInteger.ZERO);
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        prod[i + j] = prod[i + j].add(u[i].multiply(v[j]));
      }
    }
    for (int d = 4; d >= 3; d--) {
      BigInteger c = prod[d].mod(p);
      prod[d] = BigInteger.ZERO;
      for (int k = 0; k < 3; k++) {
        prod[d - 3 + k] = prod[d - 3 + k].subtract(c.multiply(f[k]));
      }
    }
    return new BigInteger[] {prod[0].mod(p), prod[1].mod(p), prod[2].mod(p)};
  }

  static int degree(BigInteger[] u) {
    for (int i = u.length - 1; i >= 0; i--) {
      if (u[i].signum() != 0) {
        return i;
      }
    }
    return -1;
  }

  /** gcd of two polynomials over F_p (not normalised). */
  static BigInteger[] gcd(BigInteger p, BigInteger[] u, BigInteger[] v) {
    while (degree(v) >= 0) {
      BigInteger[] r = rem(p, u, v);
      u = v;
      v = r;
    }
    return u;
  }

  static BigInteger[] rem(BigInteger p, BigInteger[] u, BigInteger[] v) {
    BigInteger[] r = u.clone();
    int dv = degree(v);
    BigInteger lead = v[dv].modInverse(p);
    for (int d = degree(r); d >= dv && d >= 0; d = degree(r)) {
      BigInteger c = r[d].multiply(lead).mod(p);
      for (int k = 0; k <= dv; k++) {
        r[d - dv + k] = r[d - dv + k].subtract(c.multiply(v[k])).mod(p);
      }
    }
    return r;
  }
}
