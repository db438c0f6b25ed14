package sluice.catalog.grant;

import sluice.catalog.entry.SemanticType;
import sluice.catalog.ident.CitizenIdNumber;
import sluice.catalog.ident.UnifiedSocialCreditCode;

/**
 * Where a record belongs, for grants limited to the consumer's province: the GB/T 2260 province
 * (first two digits of the region) of a region code, a citizen ID (where it was first issued) or
 * a unified social credit code (its registering authority's region).
 */
public final class RowScopes {
  private RowScopes() {}

  /** Whether fields of {@code type} say where a record belongs. */
  public static boolean placeable(SemanticType type) {
    return type == SemanticType.REGION_CODE || type == SemanticType.CN_ID_CARD || type == SemanticType.CN_USCC;
  }

  /** The two-digit province code {@code value} belongs to, or null when it names none. */
  public static String province(String value) {
    if (value == null) {
      return null;
    }
    if (value.length() == 6 && value.chars().allMatch(Character::isDigit)) {
      return value.substring(0, 2);
    }
    if (CitizenIdNumber.isValid(value)) {
      return value.substring(0, 2);
    }
    if (UnifiedSocialCreditCode.isValid(value)) {
      return value.substring(2, 4);
    }
    return null;
  }
}
