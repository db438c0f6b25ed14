package sluice.crypto.note;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import sluice.crypto.Signer;
import sluice.crypto.Sm2;
import sluice.crypto.Verifier;

/**
 * SM2 with SM3 note keys. Signed notes assign no byte to SM2, so the type is 0xff followed by
 * the identifier {@value #IDENTIFIER} (as c2sp.org/signed-note recommends for unassigned types),
 * and the public key is its SubjectPublicKeyInfo DER.
 */
public final class Sm2NoteKeys {
  public static final String IDENTIFIER = "sluice/sm2-sm3";
  private static final byte[] TYPE = type();

  private Sm2NoteKeys() {}

  private static byte[] type() {
    byte[] id = IDENTIFIER.getBytes(StandardCharsets.US_ASCII);
    byte[] t = new byte[1 + id.length];
    t[0] = (byte) 0xff;
    System.arraycopy(id, 0, t, 1, id.length);
    return t;
  }

  public static NoteSigner signer(String name, PrivateKey key, PublicKey publicKey) {
    Signer sm2 = Sm2.signer(key);
    return NoteSigner.of(NoteKey.of(name, TYPE, publicKey.getEncoded()), sm2::sign);
  }

  public static NoteVerifier verifier(String name, PublicKey publicKey) {
    Verifier sm2 = Sm2.verifier(publicKey);
    return NoteVerifier.of(NoteKey.of(name, TYPE, publicKey.getEncoded()), sm2::verify);
  }
}
