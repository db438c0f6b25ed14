package sluice.crypto.merkle;

import java.util.Base64;

/**
 * A log checkpoint (c2sp.org/tlog-checkpoint): the note text naming the log's origin, its size
 * and its root hash, each on its own line. Sign it as a {@link sluice.crypto.note.SignedNote}.
 */
public record Checkpoint(String origin, long size, byte[] root) {
  public Checkpoint {
    if (origin.isEmpty() || origin.contains("\n")) {
      throw new IllegalArgumentException("a checkpoint origin is one non-empty line");
    }
    if (size < 0) {
      throw new IllegalArgumentException("a tree size is not negative");
    }
    root = root.clone();
  }

  @Override
  public byte[] root() {
    return root.clone();
  }

  /** The note text: origin, decimal size, base64 root, each ending in a newline. */
  public String text() {
    return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
  }

  /**
   * Reads the first three lines of a checkpoint note text (extension lines after them are kept
   * by the note but not interpreted here).
   *
   * @throws IllegalArgumentException saying what is malformed
   */
  public static Checkpoint parse(String text) {
    String[] lines = text.split("\n", -1);
    if (lines.length < 4) {
      throw new IllegalArgumentException("a checkpoint is origin, size and root, each on its own line");
    }
    long size;
    try {
      size = Long.parseLong(lines[1]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("checkpoint size \"" + lines[1] + "\" is not a number");
    }
    if (!lines[1].equals(Long.toString(size))) {
      throw new IllegalArgumentException("checkpoint size \"" + lines[1] + "\" is not in canonical decimal");
    }
    byte[] root;
    try {
      root = Base64.getDecoder().decode(lines[2]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("checkpoint root is not base64");
    }
    return new Checkpoint(lines[0], size, root);
  }
}
