package sluice.crypto.sym;

import javax.crypto.SecretKey;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/** HMAC (RFC 2104) over SM3 (GB/T 32905), from BouncyCastle. */
public final class HmacSm3 {
  /** Length of a tag in bytes. */
  public static final int LENGTH = 32;

  private HmacSm3() {}

  /** The tag of {@code parts} concatenated, under {@code key}. */
  public static byte[] mac(SecretKey key, byte[]... parts) {
    HMac mac = new HMac(new SM3Digest());
    mac.init(new KeyParameter(key.getEncoded()));
    for (byte[] p : parts) {
      mac.update(p, 0, p.length);
    }
    byte[] out = new byte[LENGTH];
    mac.doFinal(out, 0);
    return out;
  }
}
