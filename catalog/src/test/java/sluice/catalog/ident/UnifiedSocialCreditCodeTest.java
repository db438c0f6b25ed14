package sluice.catalog.ident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class UnifiedSocialCreditCodeTest {

  @Test
  void validVectorParses() {
    assertTrue(UnifiedSocialCreditCode.isValid("91350100M000100Y43"));
    UnifiedSocialCreditCode code = UnifiedSocialCreditCode.parse("91350100M000100Y43");
    assertEquals('9', code.registrationAuthority());
    assertEquals('1', code.entityType());
    assertEquals("350100", code.regionCode());
    assertEquals("M000100Y4", code.organisationCode());
    assertEquals("91350100M000100Y43", code.toString());
    assertEquals('3', UnifiedSocialCreditCode.checkCharacter("91350100M000100Y4"));
    assertEquals('4', UnifiedSocialCreditCode.organisationCodeCheck("M000100Y"));
  }

  @Test
  void wrongCheckCharacterIsRejected() {
    assertFalse(UnifiedSocialCreditCode.isValid("91350100M000100Y44"));
    assertMessage("unified social credit code check character is 4, expected 3", "91350100M000100Y44");
  }

  @Test
  void lowerCaseIsNormalised() {
    assertEquals("91350100M000100Y43", UnifiedSocialCreditCode.parse("91350100m000100y43").toString());
  }

  @Test
  void messagesNameTheFailingRule() {
    assertMessage("unified social credit code must be 18 characters, got 17", "91350100M000100Y4");
    assertMessage(
        "unified social credit code character 9 is 'I', which GB 32100 does not use"
            + " (allowed: 0-9 and A-H J-N P-R T U W-Y)",
        "91350100I000100Y43");
    assertMessage(
        "unified social credit code positions 3-8 must be a 6-digit region code, got 3501A0",
        "913501A0M000100Y43");
    assertMessage(
        "unified social credit code organisation code (positions 9-17) check character is 5,"
            + " expected 4",
        "91350100M000100Y53");
    assertMessage("unified social credit code is missing", null);
  }

  @Test
  void organisationCodeCheckMapsTenAndElevenToXAndZero() {
    boolean sawX = false;
    boolean sawZero = false;
    Random random = new Random(11714);
    for (int n = 0; n < 5000 && !(sawX && sawZero); n++) {
      String body = randomChars(random, "0123456789ABCDEFGHJKLMNPQRTUWXY", 8);
      char check = UnifiedSocialCreditCode.organisationCodeCheck(body);
      assertTrue(check == 'X' || (check >= '0' && check <= '9'), body + " -> " + check);
      int sum = 0;
      int[] w = {3, 7, 9, 10, 5, 8, 4, 2};
      for (int i = 0; i < 8; i++) {
        sum += Character.digit(body.charAt(i), 36) * w[i];
      }
      sawX |= sum % 11 == 1 && check == 'X';
      sawZero |= sum % 11 == 0 && check == '0';
    }
    assertTrue(sawX && sawZero);
  }

  @Test
  void appendingTheCheckCharacterValidatesAndAnySingleChangeBreaksIt() {
    Random random = new Random(32100);
    String charset = UnifiedSocialCreditCode.CHARSET;
    for (int n = 0; n < 2000; n++) {
      String body = randomChars(random, charset, 8);
      String first17 =
          randomChars(random, charset, 2)
              + randomChars(random, "0123456789", 6)
              + body
              + UnifiedSocialCreditCode.organisationCodeCheck(body);
      String code = first17 + UnifiedSocialCreditCode.checkCharacter(first17);
      assertTrue(UnifiedSocialCreditCode.isValid(code), code);
      for (int pos = 0; pos < 18; pos++) {
        char original = code.charAt(pos);
        char replacement = original;
        while (replacement == original) {
          replacement = charset.charAt(random.nextInt(charset.length()));
        }
        String changed = code.substring(0, pos) + replacement + code.substring(pos + 1);
        assertFalse(UnifiedSocialCreditCode.isValid(changed), changed + " (changed position " + (pos + 1) + ")");
      }
    }
  }

  @Test
  void checkCharacterRejectsBadInput() {
    assertThrows(IllegalArgumentException.class, () -> UnifiedSocialCreditCode.checkCharacter("9135"));
    assertThrows(
        IllegalArgumentException.class, () -> UnifiedSocialCreditCode.checkCharacter("91350100M000100Z4"));
    assertThrows(
        IllegalArgumentException.class, () -> UnifiedSocialCreditCode.organisationCodeCheck("m000100y"));
  }

  private static String randomChars(Random random, String alphabet, int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  private static void assertMessage(String expected, String input) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> UnifiedSocialCreditCode.validate(input));
    assertEquals(expected, e.getMessage());
  }
}
