package sluice.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HexTest {

  @Test
  void roundTripLowerCase() {
    byte[] bytes = {0, 1, (byte) 0x7f, (byte) 0x80, (byte) 0xab, (byte) 0xff};
    assertEquals("00017f80abff", Hex.encode(bytes));
    assertArrayEquals(bytes, Hex.decode("00017f80abff"));
    assertArrayEquals(bytes, Hex.decode("00017F80ABFF"));
    assertEquals("", Hex.encode(new byte[0]));
  }

  @Test
  void rejectsBadInput() {
    IllegalArgumentException odd = assertThrows(IllegalArgumentException.class, () -> Hex.decode("abc"));
    assertTrue(odd.getMessage().contains("odd"), odd.getMessage());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Hex.decode("0g"));
    assertTrue(bad.getMessage().contains("'g'"), bad.getMessage());
  }
}
