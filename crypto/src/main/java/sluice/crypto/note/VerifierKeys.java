package sluice.crypto.note;

import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * Verifier keys in the text form of c2sp.org/signed-note ({@code name+keyid+base64(type||key)},
 * the key id as 8 hex digits), for Ed25519 keys: how a log hands its checkpoint key to outside
 * verifiers.
 */
public final class VerifierKeys {
  private VerifierKeys() {}

  /** The verifier key text of the Ed25519 public key {@code publicKey} (32 bytes) named {@code name}. */
  public static String ed25519(String name, byte[] publicKey) {
    byte[] typed = new byte[1 + publicKey.length];
    typed[0] = 0x01;
    System.arraycopy(publicKey, 0, typed, 1, publicKey.length);
    NoteKey key = NoteKey.of(name, new byte[] {0x01}, publicKey);
    return name + "+" + String.format("%08x", key.keyId()) + "+" + Base64.getEncoder().encodeToString(typed);
  }

  /**
   * Reads an Ed25519 verifier key text.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static NoteVerifier parse(String vkey) {
    // Names hold no '+' (c2sp.org/signed-note); the base64 key may.
    int mid = vkey.indexOf('+');
    int last = mid < 0 ? -1 : vkey.indexOf('+', mid + 1);
    if (mid <= 0 || last < 0) {
      throw new IllegalArgumentException("a verifier key is name+keyid+key");
    }
    String name = vkey.substring(0, mid);
    String id = vkey.substring(mid + 1, last);
    byte[] typed;
    try {
      typed = Base64.getDecoder().decode(vkey.substring(last + 1));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the key of verifier key " + name + " is not base64");
    }
    if (typed.length != 33 || typed[0] != 0x01) {
      throw new IllegalArgumentException("verifier key " + name + " is not an Ed25519 key");
    }
    NoteVerifier v = Ed25519NoteKeys.verifier(name, new Ed25519PublicKeyParameters(Arrays.copyOfRange(typed, 1, 33)));
    if (id.length() != 8 || v.key().keyId() != (int) Long.parseLong(id, 16)) {
      throw new IllegalArgumentException("verifier key " + name + ": key id " + id + " does not match its key");
    }
    return v;
  }
}
