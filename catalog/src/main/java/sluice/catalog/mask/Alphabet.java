package sluice.catalog.mask;

/** The characters a format-preserving mask works over; a character's index is its numeral. */
record Alphabet(String characters) {
  static final Alphabet DIGITS = new Alphabet("0123456789");
  static final Alphabet ALPHANUMERIC = new Alphabet("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ");

  int radix() {
    return characters.length();
  }

  byte[] numerals(String text) {
    byte[] out = new byte[text.length()];
    for (int i = 0; i < text.length(); i++) {
      int n = characters.indexOf(text.charAt(i));
      if (n < 0) {
        throw new InvalidMaskInputException(
            "character " + (i + 1) + " ('" + text.charAt(i) + "') is not one of " + characters);
      }
      out[i] = (byte) n;
    }
    return out;
  }

  String text(byte[] numerals) {
    StringBuilder b = new StringBuilder(numerals.length);
    for (byte n : numerals) {
      b.append(characters.charAt(n));
    }
    return b.toString();
  }

  /** {@code value} as a number written in {@code width} numerals, most significant first. */
  byte[] numerals(long value, int width) {
    byte[] out = new byte[width];
    for (int i = width - 1; i >= 0; i--) {
      out[i] = (byte) (value % radix());
      value /= radix();
    }
    return out;
  }

  long value(byte[] numerals) {
    long v = 0;
    for (byte n : numerals) {
      v = v * radix() + n;
    }
    return v;
  }
}
