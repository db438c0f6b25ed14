package sluice.crypto.note;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A note key's public identity: its name and 32-bit key ID, the ID computed as c2sp.org/signed-note
 * recommends, SHA-256(name || 0x0A || signature type || public key)[:4].
 */
public record NoteKey(String name, int keyId) {

  public NoteKey {
    if (name.isEmpty() || name.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '+')) {
      throw new IllegalArgumentException("a note key name is non-empty, without spaces or '+': \"" + name + "\"");
    }
  }

  /** The key of {@code name} with the given signature type bytes and encoded public key. */
  public static NoteKey of(String name, byte[] signatureType, byte[] publicKey) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(name.getBytes(StandardCharsets.UTF_8));
      sha256.update((byte) 0x0A);
      sha256.update(signatureType);
      sha256.update(publicKey);
      return new NoteKey(name, ByteBuffer.wrap(sha256.digest(), 0, 4).getInt());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }
}
