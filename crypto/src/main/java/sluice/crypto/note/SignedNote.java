package sluice.crypto.note;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A signed note (c2sp.org/signed-note): a text ending in a newline, a blank line, and signature
 * lines {@code — <key name> base64(key ID || signature)}. Immutable.
 */
public record SignedNote(String text, List<Line> signatures) {
  /** Most signature lines a note may carry (the spec asks verifiers to accept at least 16). */
  public static final int MAX_SIGNATURES = 100;

  private static final String DASH = "\u2014 ";

  /** One signature line. */
  public record Line(String name, int keyId, byte[] signature) {
    public Line {
      signature = signature.clone();
    }

    @Override
    public byte[] signature() {
      return signature.clone();
    }
  }

  public SignedNote {
    checkText(text);
    signatures = List.copyOf(signatures);
  }

  /** {@code text} signed by each of {@code signers}. */
  public static SignedNote sign(String text, List<NoteSigner> signers) {
    checkText(text);
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    List<Line> lines = new ArrayList<>();
    for (NoteSigner s : signers) {
      lines.add(new Line(s.key().name(), s.key().keyId(), s.sign(bytes)));
    }
    return new SignedNote(text, lines);
  }

  /** This note with one more signature (a witness's cosignature). */
  public SignedNote cosign(NoteSigner signer) {
    List<Line> lines = new ArrayList<>(signatures);
    lines.add(new Line(signer.key().name(), signer.key().keyId(), signer.sign(text.getBytes(StandardCharsets.UTF_8))));
    return new SignedNote(text, lines);
  }

  /** The note as it travels. */
  public String format() {
    StringBuilder b = new StringBuilder(text).append('\n');
    for (Line l : signatures) {
      byte[] sig = ByteBuffer.allocate(4 + l.signature().length).putInt(l.keyId()).put(l.signature()).array();
      b.append(DASH).append(l.name()).append(' ').append(Base64.getEncoder().encodeToString(sig)).append('\n');
    }
    return b.toString();
  }

  /**
   * Reads a note; the text is everything up to the last blank line.
   *
   * @throws IllegalArgumentException saying what is malformed
   */
  public static SignedNote parse(String note) {
    if (note.chars().anyMatch(c -> c < 0x20 && c != '\n')) {
      throw new IllegalArgumentException("a signed note holds no control characters but newline");
    }
    int split = note.lastIndexOf("\n\n");
    if (split < 0 || !note.endsWith("\n")) {
      throw new IllegalArgumentException("a signed note is text, a blank line, and signature lines, each ending in newline");
    }
    String text = note.substring(0, split + 1);
    String[] lines = note.substring(split + 2, note.length() - 1).split("\n", -1);
    if (lines.length > MAX_SIGNATURES) {
      throw new IllegalArgumentException("more than " + MAX_SIGNATURES + " signatures");
    }
    List<Line> out = new ArrayList<>();
    for (String line : lines) {
      if (!line.startsWith(DASH)) {
        throw new IllegalArgumentException("a signature line starts with an em dash and a space: \"" + line + "\"");
      }
      String[] parts = line.substring(DASH.length()).split(" ", -1);
      if (parts.length != 2) {
        throw new IllegalArgumentException("a signature line is \"— name base64\": \"" + line + "\"");
      }
      byte[] sig;
      try {
        sig = Base64.getDecoder().decode(parts[1]);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("signature of " + parts[0] + " is not base64");
      }
      if (sig.length < 5) {
        throw new IllegalArgumentException("signature of " + parts[0] + " is too short");
      }
      ByteBuffer buf = ByteBuffer.wrap(sig);
      int keyId = buf.getInt();
      byte[] rest = new byte[sig.length - 4];
      buf.get(rest);
      out.add(new Line(parts[0], keyId, rest));
    }
    return new SignedNote(text, out);
  }

  /**
   * Checks the note against {@code trusted} keys: lines from unknown keys are ignored, a line from
   * a known key must verify, and at least one must.
   *
   * @return the keys whose signatures verified
   * @throws IllegalArgumentException when a known key's signature fails, or none verifies
   */
  public List<NoteKey> verify(List<NoteVerifier> trusted) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    List<NoteKey> verified = new ArrayList<>();
    for (Line l : signatures) {
      for (NoteVerifier v : trusted) {
        if (v.key().name().equals(l.name()) && v.key().keyId() == l.keyId()) {
          if (!v.verify(bytes, l.signature())) {
            throw new IllegalArgumentException("the signature of " + l.name() + " does not verify");
          }
          if (!verified.contains(v.key())) {
            verified.add(v.key());
          }
        }
      }
    }
    if (verified.isEmpty()) {
      throw new IllegalArgumentException("no signature from a trusted key");
    }
    return verified;
  }

  private static void checkText(String text) {
    Objects.requireNonNull(text, "text");
    if (text.isEmpty() || !text.endsWith("\n")) {
      throw new IllegalArgumentException("a note text is non-empty and ends in a newline");
    }
  }
}
