package sluice.crypto.sym;

import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * SM4 (GB/T 32907) in GCM mode, from BouncyCastle: a fresh 96-bit nonce per message, a 128-bit
 * tag, and associated data bound to the ciphertext. Output is nonce || ciphertext || tag.
 */
public final class Sm4Gcm {
  public static final int KEY_LENGTH = 16;
  public static final int NONCE_LENGTH = 12;
  private static final int TAG_BITS = 128;

  private Sm4Gcm() {}

  public static byte[] encrypt(SecretKey key, byte[] aad, byte[] plaintext, SecureRandom random) {
    byte[] nonce = new byte[NONCE_LENGTH];
    random.nextBytes(nonce);
    GCMModeCipher gcm = cipher(true, key, nonce, aad);
    byte[] out = new byte[NONCE_LENGTH + gcm.getOutputSize(plaintext.length)];
    System.arraycopy(nonce, 0, out, 0, NONCE_LENGTH);
    int n = gcm.processBytes(plaintext, 0, plaintext.length, out, NONCE_LENGTH);
    try {
      gcm.doFinal(out, NONCE_LENGTH + n);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("SM4-GCM encryption failed", e);
    }
    return out;
  }

  /**
   * @throws AEADBadTagException when the message was altered, or the key or associated data
   *     differ from those it was encrypted with
   */
  public static byte[] decrypt(SecretKey key, byte[] aad, byte[] message) throws AEADBadTagException {
    if (message.length < NONCE_LENGTH + TAG_BITS / 8) {
      throw new AEADBadTagException("SM4-GCM message too short");
    }
    GCMModeCipher gcm = cipher(false, key, Arrays.copyOf(message, NONCE_LENGTH), aad);
    byte[] out = new byte[gcm.getOutputSize(message.length - NONCE_LENGTH)];
    int n = gcm.processBytes(message, NONCE_LENGTH, message.length - NONCE_LENGTH, out, 0);
    try {
      gcm.doFinal(out, n);
    } catch (InvalidCipherTextException e) {
      throw new AEADBadTagException("SM4-GCM tag does not verify");
    }
    return out;
  }

  private static GCMModeCipher cipher(boolean encrypt, SecretKey key, byte[] nonce, byte[] aad) {
    GCMModeCipher gcm = GCMBlockCipher.newInstance(new SM4Engine());
    gcm.init(encrypt, new AEADParameters(new KeyParameter(key.getEncoded()), TAG_BITS, nonce, aad));
    return gcm;
  }
}
