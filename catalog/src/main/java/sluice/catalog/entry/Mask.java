package sluice.catalog.entry;

import java.util.EnumSet;
import java.util.Set;

/**
 * The masks a field may leave a provider under. Some fit only certain semantic types (a
 * citizen-ID mask on a date makes no sense); the rest fit any field.
 */
public enum Mask {
  /** The value as held: no masking. */
  CLEAR(null),
  /** Citizen ID keeping the first 6 and last 4 characters. */
  ID_KEEP_6_4(EnumSet.of(SemanticType.CN_ID_CARD)),
  /** Mobile number keeping the first 3 and last 4 digits. */
  MOBILE_KEEP_3_4(EnumSet.of(SemanticType.CN_MOBILE)),
  /** Bank card keeping the first 6 and last 4 digits. */
  BANK_CARD_KEEP_6_4(EnumSet.of(SemanticType.BANK_CARD)),
  /** Unified social credit code with the organisation code hidden. */
  USCC_HIDE_ORG(EnumSet.of(SemanticType.CN_USCC)),
  /** Chinese name keeping the surname. */
  NAME_KEEP_SURNAME(EnumSet.of(SemanticType.CN_NAME)),
  /** Address cut to the county. */
  ADDRESS_TO_COUNTY(EnumSet.of(SemanticType.ADDRESS)),
  /** Date cut to the year. */
  DATE_TO_YEAR(EnumSet.of(SemanticType.DATE)),
  /** Date cut to the month. */
  DATE_TO_MONTH(EnumSet.of(SemanticType.DATE)),
  /** Citizen ID generalised to region, birth year and gender. */
  GENERALISE_ID(EnumSet.of(SemanticType.CN_ID_CARD)),
  /** Keyed pseudonym (HMAC-SM3 under a per-consumer key). */
  PSEUDONYM(null),
  /** Keyed substitute passing the same check digit. */
  CHECKSUM_PSEUDONYM(
      EnumSet.of(SemanticType.CN_ID_CARD, SemanticType.CN_MOBILE, SemanticType.BANK_CARD, SemanticType.CN_USCC)),
  /** Format-preserving encryption (FF1). */
  FPE(
      EnumSet.of(
          SemanticType.CN_ID_CARD, SemanticType.CN_MOBILE, SemanticType.BANK_CARD,
          SemanticType.CN_USCC, SemanticType.CODE, SemanticType.REGION_CODE)),
  /** Reversible encryption (SM4-GCM) for holders of the key. */
  ENCRYPT(null),
  /** The field is left out. */
  NULLIFY(null),
  /** The field never leaves; it may only be asked about (Verify). */
  VERIFY_ONLY(null);

  private final Set<SemanticType> fits;

  Mask(Set<SemanticType> fits) {
    this.fits = fits;
  }

  /** Whether this mask can be applied to a field of {@code type}. */
  public boolean fits(SemanticType type) {
    return fits == null || fits.contains(type);
  }

  /** Whether the value leaves readable as it is held. */
  public boolean isClear() {
    return this == CLEAR;
  }
}
