package sluice.catalog.mask;

import java.util.regex.Pattern;
import sluice.catalog.entry.Mask;
import sluice.catalog.ident.CitizenIdNumber;
import sluice.catalog.ident.Luhn;
import sluice.catalog.ident.UnifiedSocialCreditCode;

/**
 * Whether a value has the shape a mask's output has, so a gateway can check what a department
 * node sends without holding any key: a field ordered {@code ID_KEEP_6_4} that arrives as a whole
 * citizen ID, or a pseudonym that is not one, does not conform. Keyed outputs are checked for form
 * only (a well-formed substitute under the wrong key cannot be told from the right one here).
 */
public final class MaskShapes {
  private static final Pattern ID_KEEP_6_4 = Pattern.compile("[0-9]{6}\\*{8}[0-9]{3}[0-9X]");
  private static final Pattern MOBILE_KEEP_3_4 = Pattern.compile("1[0-9]{2}\\*{4}[0-9]{4}");
  private static final Pattern BANK_CARD_KEEP_6_4 = Pattern.compile("[0-9]{6}\\*{2,9}[0-9]{4}");
  private static final Pattern USCC_HIDE_ORG =
      Pattern.compile("[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}\\*{9}[0-9A-HJ-NPQRTUWXY]");
  private static final Pattern NAME = Pattern.compile("[^*0-9]{0,2}[*· ]*\\*[*· ]*|\\*");
  private static final Pattern ADDRESS = Pattern.compile(".+[区县旗市]\\*\\*\\*");
  private static final Pattern YEAR = Pattern.compile("[0-9]{4}");
  private static final Pattern MONTH = Pattern.compile("[0-9]{4}-(0[1-9]|1[0-2])");
  private static final Pattern GENERALISED_ID = Pattern.compile("region=[0-9]{6};birthYear=[0-9]{4};gender=[FM]");
  private static final Pattern PSEUDONYM = Pattern.compile("[0-9a-f]{16,64}");
  private static final Pattern FPE = Pattern.compile("[0-9A-Z]{4,}");
  private static final Pattern ENCRYPTED = Pattern.compile(Pattern.quote(FieldEncryption.PREFIX) + "[A-Za-z0-9_-]{40,}");

  private MaskShapes() {}

  /** Whether {@code value} could be the output of {@code mask}; never for a mask that lets nothing leave. */
  public static boolean conforms(Mask mask, String value) {
    if (value == null) {
      return false;
    }
    return switch (mask) {
      case CLEAR -> true;
      case NULLIFY, VERIFY_ONLY -> false;
      case ID_KEEP_6_4 -> ID_KEEP_6_4.matcher(value).matches();
      case MOBILE_KEEP_3_4 -> MOBILE_KEEP_3_4.matcher(value).matches();
      case BANK_CARD_KEEP_6_4 -> BANK_CARD_KEEP_6_4.matcher(value).matches();
      case USCC_HIDE_ORG -> USCC_HIDE_ORG.matcher(value).matches();
      case NAME_KEEP_SURNAME -> NAME.matcher(value).matches();
      case ADDRESS_TO_COUNTY -> ADDRESS.matcher(value).matches();
      case DATE_TO_YEAR -> YEAR.matcher(value).matches();
      case DATE_TO_MONTH -> MONTH.matcher(value).matches();
      case GENERALISE_ID -> GENERALISED_ID.matcher(value).matches();
      case PSEUDONYM -> PSEUDONYM.matcher(value).matches();
      case CHECKSUM_PSEUDONYM ->
          CitizenIdNumber.isValid(value) || CharacterMasks.isMobile(value) || Luhn.isValidCardNumber(value)
              || UnifiedSocialCreditCode.isValid(value);
      case FPE -> FPE.matcher(value).matches();
      case ENCRYPT -> ENCRYPTED.matcher(value).matches();
    };
  }
}
