package sluice.catalog.ident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LuhnTest {

  @Test
  void bankCardVectors() {
    assertTrue(Luhn.isValid("6222021234567890128"));
    assertTrue(Luhn.isValidCardNumber("6222021234567890128"));
    Luhn.validate("6222021234567890128");
    assertEquals('8', Luhn.checkDigit("622202123456789012"));

    assertFalse(Luhn.isValid("6222021234567890127"));
    assertFalse(Luhn.isValidCardNumber("6222021234567890127"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Luhn.validate("6222021234567890127"));
    assertEquals("bank card number check digit is 7, expected 8", e.getMessage());
  }

  @Test
  void classicExample() {
    assertTrue(Luhn.isValid("79927398713"));
    assertFalse(Luhn.isValidCardNumber("79927398713"));
  }

  @Test
  void validateChecksLengthAndDigits() {
    assertEquals(
        "bank card number must be 12 to 19 digits, got 11 characters",
        assertThrows(IllegalArgumentException.class, () -> Luhn.validate("79927398713")).getMessage());
    assertEquals(
        "bank card number character 5 is ' ', expected a digit",
        assertThrows(IllegalArgumentException.class, () -> Luhn.validate("6222 0212 3456 7890"))
            .getMessage());
    assertFalse(Luhn.isValid(null));
    assertFalse(Luhn.isValid("0"));
    assertFalse(Luhn.isValid("12a4"));
    assertThrows(IllegalArgumentException.class, () -> Luhn.checkDigit(""));
  }

  @Test
  void appendingTheCheckDigitValidatesAndAnySingleChangeBreaksIt() {
    Random random = new Random(7812);
    for (int n = 0; n < 2000; n++) {
      StringBuilder payload = new StringBuilder();
      int length = 11 + random.nextInt(8);
      for (int i = 0; i < length; i++) {
        payload.append((char) ('0' + random.nextInt(10)));
      }
      String card = payload.toString() + Luhn.checkDigit(payload.toString());
      assertTrue(Luhn.isValidCardNumber(card), card);
      for (int pos = 0; pos < card.length(); pos++) {
        char original = card.charAt(pos);
        char replacement = original;
        while (replacement == original) {
          replacement = (char) ('0' + random.nextInt(10));
        }
        String changed = card.substring(0, pos) + replacement + card.substring(pos + 1);
        assertFalse(Luhn.isValid(changed), changed);
      }
    }
  }
}
