package sluice.crypto.note;

import java.util.function.BiPredicate;

/** Checks signatures by one named key. */
public interface NoteVerifier {
  NoteKey key();

  boolean verify(byte[] text, byte[] signature);

  /** The verifier of {@code key} that checks with {@code verify} (text, signature). */
  static NoteVerifier of(NoteKey key, BiPredicate<byte[], byte[]> verify) {
    return new NoteVerifier() {
      @Override
      public NoteKey key() {
        return key;
      }

      @Override
      public boolean verify(byte[] text, byte[] signature) {
        return verify.test(text, signature);
      }
    };
  }
}
