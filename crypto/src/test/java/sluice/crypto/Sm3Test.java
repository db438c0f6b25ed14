package sluice.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Sm3Test {

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void abcVector() {
    assertEquals(
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0",
        Hex.encode(Sm3.digest(ascii("abc"))));
  }

  @Test
  void sixtyFourByteVector() {
    assertEquals(
        "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732",
        Hex.encode(Sm3.digest(ascii("abcd".repeat(16)))));
  }

  @Test
  void partsAreConcatenated() {
    assertArrayEquals(
        Sm3.digest(ascii("abcd".repeat(16))),
        Sm3.digest(ascii("abcd".repeat(7)), new byte[0], ascii("abcd".repeat(9))));
    assertArrayEquals(Sm3.digest(ascii("abc")), Sm3.digest(ascii("a"), ascii("bc")));
  }
}
