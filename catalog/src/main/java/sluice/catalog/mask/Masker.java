package sluice.catalog.mask;

import java.security.SecureRandom;
import java.util.Optional;
import sluice.catalog.entry.Mask;
import sluice.catalog.entry.SemanticType;

/**
 * Applies one {@link Mask} to one field value, as a provider department does before a record
 * leaves it. Thread-safe.
 */
public final class Masker {
  private final SecureRandom random;

  public Masker(SecureRandom random) {
    this.random = random;
  }

  /**
   * @param key the consumer's keys (used by the keyed masks only)
   * @return the value as it may leave; empty when nothing leaves (NULLIFY, VERIFY_ONLY)
   * @throws InvalidMaskInputException when the value is not one the mask can take
   * @throws IllegalArgumentException when the mask does not fit the field's semantic type
   */
  public Optional<String> apply(Mask mask, SemanticType type, String value, MaskKey key) {
    if (!mask.fits(type)) {
      throw new IllegalArgumentException(mask + " does not fit a " + type + " field");
    }
    String domain = type.name();
    return switch (mask) {
      case CLEAR -> Optional.of(value);
      case NULLIFY, VERIFY_ONLY -> Optional.empty();
      case ID_KEEP_6_4 -> Optional.of(CharacterMasks.citizenId(value));
      case MOBILE_KEEP_3_4 -> Optional.of(CharacterMasks.mobile(value));
      case BANK_CARD_KEEP_6_4 -> Optional.of(CharacterMasks.bankCard(value));
      case USCC_HIDE_ORG -> Optional.of(CharacterMasks.usccHideOrganisation(value));
      case NAME_KEEP_SURNAME -> Optional.of(ChineseNames.keepSurname(value));
      case ADDRESS_TO_COUNTY -> Optional.of(Addresses.toCounty(value));
      case DATE_TO_YEAR -> Optional.of(CharacterMasks.dateToYear(value));
      case DATE_TO_MONTH -> Optional.of(CharacterMasks.dateToMonth(value));
      case GENERALISE_ID -> Optional.of(IdGeneralisation.generalise(value));
      case PSEUDONYM -> Optional.of(KeyedPseudonym.of(key.pseudonym(), domain, value, KeyedPseudonym.DEFAULT_LENGTH));
      case CHECKSUM_PSEUDONYM -> Optional.of(checksumPseudonym(type, value, key));
      case FPE -> Optional.of(FormatPreservingMask.encrypt(key.formatPreserving(), type, value));
      case ENCRYPT -> Optional.of(FieldEncryption.encrypt(key.encryption(), domain, value, random));
    };
  }

  private static String checksumPseudonym(SemanticType type, String value, MaskKey key) {
    return switch (type) {
      case CN_ID_CARD -> ChecksumPseudonym.citizenId(key.formatPreserving(), value);
      case CN_MOBILE -> ChecksumPseudonym.mobile(key.formatPreserving(), value);
      case BANK_CARD -> ChecksumPseudonym.bankCard(key.formatPreserving(), value);
      case CN_USCC -> ChecksumPseudonym.uscc(key.formatPreserving(), value);
      default -> throw new IllegalArgumentException("CHECKSUM_PSEUDONYM does not fit a " + type + " field");
    };
  }
}
