package sluice.crypto.sym;

import javax.crypto.SecretKey;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.fpe.FPEEngine;
import org.bouncycastle.crypto.fpe.FPEFF1Engine;
import org.bouncycastle.crypto.params.FPEParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * FF1 format-preserving encryption (NIST SP 800-38G) over SM4 or AES, from BouncyCastle. A
 * message is a sequence of numerals, each below the radix; the ciphertext has the same length
 * and radix. SP 800-38G Rev. 1 asks that radix<sup>length</sup> be at least 1,000,000.
 */
public final class Ff1 {
  /** The block cipher under FF1. */
  public enum Cipher {
    SM4,
    AES
  }

  /** Smallest domain SP 800-38G Rev. 1 allows. */
  public static final long MIN_DOMAIN = 1_000_000;

  private final Cipher cipher;
  private final SecretKey key;

  public Ff1(Cipher cipher, SecretKey key) {
    this.cipher = cipher;
    this.key = key;
  }

  /** Encrypts {@code numerals} (each in [0, radix)) under {@code tweak}. */
  public byte[] encrypt(byte[] numerals, int radix, byte[] tweak) {
    return process(true, numerals, radix, tweak);
  }

  public byte[] decrypt(byte[] numerals, int radix, byte[] tweak) {
    return process(false, numerals, radix, tweak);
  }

  /** Whether {@code length} numerals of {@code radix} make a domain FF1 may be used on. */
  public static boolean domainLargeEnough(int radix, int length) {
    return Math.pow(radix, length) >= MIN_DOMAIN;
  }

  private byte[] process(boolean encrypt, byte[] numerals, int radix, byte[] tweak) {
    if (radix < 2 || radix > 256) {
      throw new IllegalArgumentException("FF1 radix must be 2 to 256, got " + radix);
    }
    if (!domainLargeEnough(radix, numerals.length)) {
      throw new IllegalArgumentException(
          "FF1 needs radix^length >= " + MIN_DOMAIN + "; " + numerals.length + " numerals of radix " + radix
              + " are too few");
    }
    for (byte b : numerals) {
      if ((b & 0xff) >= radix) {
        throw new IllegalArgumentException("FF1 numeral " + (b & 0xff) + " is not below the radix " + radix);
      }
    }
    FPEEngine ff1 = new FPEFF1Engine(blockCipher());
    ff1.init(encrypt, new FPEParameters(new KeyParameter(key.getEncoded()), radix, tweak));
    byte[] out = new byte[numerals.length];
    ff1.processBlock(numerals, 0, numerals.length, out, 0);
    return out;
  }

  private BlockCipher blockCipher() {
    return cipher == Cipher.SM4 ? new SM4Engine() : AESEngine.newInstance();
  }
}
