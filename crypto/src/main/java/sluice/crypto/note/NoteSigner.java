package sluice.crypto.note;

import java.util.function.UnaryOperator;

/** Signs note texts under one named key. */
public interface NoteSigner {
  NoteKey key();

  byte[] sign(byte[] text);

  /** The signer of {@code key} that signs with {@code sign}. */
  static NoteSigner of(NoteKey key, UnaryOperator<byte[]> sign) {
    return new NoteSigner() {
      @Override
      public NoteKey key() {
        return key;
      }

      @Override
      public byte[] sign(byte[] text) {
        return sign.apply(text);
      }
    };
  }
}
