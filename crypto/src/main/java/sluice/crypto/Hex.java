package sluice.crypto;

import java.util.Objects;

/** Lower-case hexadecimal encoding of byte strings. */
public final class Hex {

  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private Hex() {}

  /** Encodes {@code bytes} as lower-case hex, two characters per byte. */
  public static String encode(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = DIGITS[(bytes[i] >> 4) & 0xf];
      out[2 * i + 1] = DIGITS[bytes[i] & 0xf];
    }
    return new String(out);
  }

  /**
   * Decodes hex text (upper or lower case, no separators or whitespace).
   *
   * @throws IllegalArgumentException if the length is odd or a character is not a hex digit
   */
  public static byte[] decode(String hex) {
    Objects.requireNonNull(hex, "hex");
    if (hex.length() % 2 != 0) {
      throw new IllegalArgumentException(
          "hex text has odd length " + hex.length() + "; it must be two digits per byte");
    }
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) ((digit(hex, 2 * i) << 4) | digit(hex, 2 * i + 1));
    }
    return out;
  }

  private static int digit(String hex, int index) {
    int d = Character.digit(hex.charAt(index), 16);
    if (d < 0) {
      throw new IllegalArgumentException(
          "not a hex digit at position " + index + ": '" + hex.charAt(index) + "'");
    }
    return d;
  }
}
