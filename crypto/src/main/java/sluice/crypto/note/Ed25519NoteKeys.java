package sluice.crypto.note;

import java.security.SecureRandom;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** Ed25519 note keys (signature type 0x01, RFC 8032), from BouncyCastle. */
public final class Ed25519NoteKeys {
  private static final byte[] TYPE = {0x01};

  private Ed25519NoteKeys() {}

  public static Ed25519PrivateKeyParameters generate(SecureRandom random) {
    return new Ed25519PrivateKeyParameters(random);
  }

  public static NoteSigner signer(String name, Ed25519PrivateKeyParameters key) {
    return NoteSigner.of(
        NoteKey.of(name, TYPE, key.generatePublicKey().getEncoded()),
        text -> {
          Ed25519Signer s = new Ed25519Signer();
          s.init(true, key);
          s.update(text, 0, text.length);
          return s.generateSignature();
        });
  }

  public static NoteVerifier verifier(String name, Ed25519PublicKeyParameters key) {
    return NoteVerifier.of(
        NoteKey.of(name, TYPE, key.getEncoded()),
        (text, signature) -> {
          Ed25519Signer s = new Ed25519Signer();
          s.init(false, key);
          s.update(text, 0, text.length);
          return s.verifySignature(signature);
        });
  }
}
