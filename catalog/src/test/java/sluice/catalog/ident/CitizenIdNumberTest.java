package sluice.catalog.ident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CitizenIdNumberTest {

  @Test
  void validVectorParses() {
    assertTrue(CitizenIdNumber.isValid("11010519491231002X"));
    CitizenIdNumber id = CitizenIdNumber.parse("11010519491231002X");
    assertEquals("110105", id.regionCode());
    assertEquals(LocalDate.of(1949, 12, 31), id.birthDate());
    assertTrue(id.isFemale());
    assertEquals("11010519491231002X", id.toString());
    assertEquals('X', CitizenIdNumber.checkCharacter("11010519491231002"));
  }

  @Test
  void lowerCaseXIsNormalised() {
    assertTrue(CitizenIdNumber.isValid("11010519491231002x"));
    CitizenIdNumber id = CitizenIdNumber.parse("11010519491231002x");
    assertEquals("11010519491231002X", id.toString());
    assertEquals(CitizenIdNumber.parse("11010519491231002X"), id);
  }

  @Test
  void wrongCheckDigitIsRejected() {
    assertFalse(CitizenIdNumber.isValid("110105194912310021"));
    assertMessage("citizen ID check character is 1, expected X", "110105194912310021");
  }

  @Test
  void seventeenDigitsAreRejected() {
    assertFalse(CitizenIdNumber.isValid("11010519491231002"));
    assertMessage("citizen ID must be 18 characters, got 17", "11010519491231002");
  }

  @Test
  void messagesNameTheFailingRule() {
    assertMessage("birth date 19491331 is not a date", withCheck("11010519491331002"));
    assertMessage("birth date 19490229 is not a date", withCheck("11010519490229002"));
    assertMessage(
        "region code 010105 is not a GB/T 2260 region: 01 is not a province-level code",
        withCheck("01010519491231002"));
    assertMessage(
        "region code 910105 is not a GB/T 2260 region: 91 is not a province-level code",
        withCheck("91010519491231002"));
    assertMessage("birth date 17991231 is before 1800", withCheck("11010517991231002"));
    assertMessage("birth date 29991231 is in the future", withCheck("11010529991231002"));
    assertMessage("citizen ID character 5 is 'A', expected a digit", "1101A519491231002X");
    assertMessage("citizen ID character 18 is 'Y', expected a digit or X", "11010519491231002Y");
    assertMessage("citizen ID is missing", null);
    assertFalse(CitizenIdNumber.isValid(null));
  }

  @Test
  void maleWhenSeventeenthDigitOdd() {
    CitizenIdNumber id = CitizenIdNumber.parse(withCheck("44010619800101123"));
    assertFalse(id.isFemale());
  }

  @Test
  void checkCharacterRejectsBadInput() {
    assertThrows(IllegalArgumentException.class, () -> CitizenIdNumber.checkCharacter("1101051949123100"));
    assertThrows(IllegalArgumentException.class, () -> CitizenIdNumber.checkCharacter("1101051949123100A"));
    assertThrows(IllegalArgumentException.class, () -> CitizenIdNumber.checkCharacter(null));
  }

  @Test
  void appendingTheCheckCharacterValidatesAndAnySingleChangeBreaksIt() {
    Random random = new Random(11643);
    for (int n = 0; n < 2000; n++) {
      String prefix = randomPrefix(random);
      String id = prefix + CitizenIdNumber.checkCharacter(prefix);
      assertTrue(CitizenIdNumber.isValid(id), id);
      for (int pos = 0; pos < 18; pos++) {
        char original = id.charAt(pos);
        char replacement = original;
        while (replacement == original) {
          replacement = pos == 17 && random.nextInt(11) == 10 ? 'X' : (char) ('0' + random.nextInt(10));
        }
        String changed = id.substring(0, pos) + replacement + id.substring(pos + 1);
        assertFalse(CitizenIdNumber.isValid(changed), changed + " (changed position " + (pos + 1) + ")");
      }
    }
  }

  /** 17 digits with a real province prefix and a real birth date, so only the check decides. */
  private static String randomPrefix(Random random) {
    int[] provinces = {11, 31, 44, 51, 65};
    LocalDate birth = LocalDate.of(1940, 1, 1).plusDays(random.nextInt(24000));
    return String.format(
        "%02d%04d%04d%02d%02d%03d",
        provinces[random.nextInt(provinces.length)],
        random.nextInt(10000),
        birth.getYear(),
        birth.getMonthValue(),
        birth.getDayOfMonth(),
        random.nextInt(1000));
  }

  private static String withCheck(String first17) {
    return first17 + CitizenIdNumber.checkCharacter(first17);
  }

  private static void assertMessage(String expected, String input) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CitizenIdNumber.validate(input));
    assertEquals(expected, e.getMessage());
  }
}
