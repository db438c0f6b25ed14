package sluice.crypto.sym;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/** HKDF (RFC 5869) over SM3, from BouncyCastle: one master key, many independent keys. */
public final class Hkdf {
  private Hkdf() {}

  /**
   * A key of {@code length} bytes for {@code algorithm}, derived from {@code master} for the
   * purpose named by {@code info}.
   */
  public static SecretKey derive(SecretKey master, byte[] salt, byte[] info, int length, String algorithm) {
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SM3Digest());
    hkdf.init(new HKDFParameters(master.getEncoded(), salt, info));
    byte[] out = new byte[length];
    hkdf.generateBytes(out, 0, length);
    return new SecretKeySpec(out, algorithm);
  }
}
