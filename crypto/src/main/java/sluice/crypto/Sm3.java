package sluice.crypto;

import java.util.Objects;
import org.bouncycastle.crypto.digests.SM3Digest;

/** The SM3 hash function (GB/T 32905-2016), 32-byte output. */
public final class Sm3 {

  /** Length of an SM3 digest in bytes. */
  public static final int DIGEST_LENGTH = 32;

  private Sm3() {}

  /** SM3 of {@code data}. */
  public static byte[] digest(byte[] data) {
    Objects.requireNonNull(data, "data");
    return digest(new byte[][] {data});
  }

  /**
   * SM3 of the concatenation of {@code parts}. No lengths or separators are added: callers that
   * hash variable-length fields must make the encoding unambiguous themselves.
   */
  public static byte[] digest(byte[]... parts) {
    Objects.requireNonNull(parts, "parts");
    SM3Digest sm3 = new SM3Digest();
    for (byte[] part : parts) {
      Objects.requireNonNull(part, "part");
      sm3.update(part, 0, part.length);
    }
    byte[] out = new byte[DIGEST_LENGTH];
    sm3.doFinal(out, 0);
    return out;
  }
}
