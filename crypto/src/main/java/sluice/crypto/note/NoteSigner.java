package sluice.crypto.note;

/** Signs note texts under one named key. */
public interface NoteSigner {
  NoteKey key();

  byte[] sign(byte[] text);
}
