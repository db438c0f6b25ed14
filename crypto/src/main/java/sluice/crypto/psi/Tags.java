package sluice.crypto.psi;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.Digest;

/** The short form of a doubly masked element: the suite's hash over a domain label and the point, cut to 96 bits. */
final class Tags {
  private static final byte[] DOMAIN = "sluice-psi-tag-v1".getBytes(StandardCharsets.US_ASCII);

  private Tags() {}

  static byte[] of(Digest digest, byte[] point) {
    digest.update(DOMAIN, 0, DOMAIN.length);
    digest.update(point, 0, point.length);
    byte[] out = new byte[digest.getDigestSize()];
    digest.doFinal(out, 0);
    return Arrays.copyOf(out, PsiGroup.TAG_LENGTH);
  }
}
