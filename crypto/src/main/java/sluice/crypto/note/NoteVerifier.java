package sluice.crypto.note;

/** Checks signatures by one named key. */
public interface NoteVerifier {
  NoteKey key();

  boolean verify(byte[] text, byte[] signature);
}
