package sluice.crypto.curve;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.bouncycastle.crypto.ExtendedDigest;

/**
 * expand_message_xmd (RFC 9380 section 5.3.1): a uniformly random byte string of any length up to
 * 255 hash outputs from a message and a domain separation tag, with a Merkle-Damgard hash (SHA-256
 * or SM3; both have 32-byte outputs and 64-byte blocks).
 */
public final class ExpandMessageXmd {
  private final Supplier<ExtendedDigest> hash;

  public ExpandMessageXmd(Supplier<ExtendedDigest> hash) {
    this.hash = hash;
  }

  /**
   * {@code lenInBytes} uniform bytes from {@code msg} under {@code dst}.
   *
   * @throws IllegalArgumentException when the DST is empty or over 255 bytes, or the length is
   *     out of range
   */
  public byte[] expand(byte[] msg, byte[] dst, int lenInBytes) {
    ExtendedDigest d = hash.get();
    int b = d.getDigestSize();
    int s = d.getByteLength();
    int ell = (lenInBytes + b - 1) / b;
    if (ell > 255 || lenInBytes > 65535 || lenInBytes < 1) {
      throw new IllegalArgumentException("expand_message_xmd cannot give " + lenInBytes + " bytes");
    }
    if (dst.length == 0 || dst.length > 255) {
      throw new IllegalArgumentException("a domain separation tag holds 1 to 255 bytes, not " + dst.length);
    }
    byte[] dstPrime = new byte[dst.length + 1];
    System.arraycopy(dst, 0, dstPrime, 0, dst.length);
    dstPrime[dst.length] = (byte) dst.length;

    d.update(new byte[s], 0, s);
    d.update(msg, 0, msg.length);
    d.update((byte) (lenInBytes >> 8));
    d.update((byte) lenInBytes);
    d.update((byte) 0);
    d.update(dstPrime, 0, dstPrime.length);
    byte[] b0 = new byte[b];
    d.doFinal(b0, 0);

    byte[] out = new byte[ell * b];
    byte[] prev = new byte[b];
    for (int i = 1; i <= ell; i++) {
      byte[] in = new byte[b];
      for (int k = 0; k < b; k++) {
        in[k] = (byte) (b0[k] ^ (i == 1 ? 0 : prev[k]));
      }
      d.update(in, 0, b);
      d.update((byte) i);
      d.update(dstPrime, 0, dstPrime.length);
      d.doFinal(prev, 0);
      System.arraycopy(prev, 0, out, (i - 1) * b, b);
    }
    return java.util.Arrays.copyOf(out, lenInBytes);
  }

  /** The tag as bytes (UTF-8). */
  public static byte[] tag(String dst) {
    return dst.getBytes(StandardCharsets.UTF_8);
  }
}
