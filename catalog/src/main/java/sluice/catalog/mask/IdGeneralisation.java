package sluice.catalog.mask;

import sluice.catalog.ident.CitizenIdNumber;

/**
 * A citizen ID number reduced to what statistics need: the region where it was issued, the birth
 * year and the gender, as {@code region=110105;birthYear=1949;gender=F}.
 */
public final class IdGeneralisation {
  private IdGeneralisation() {}

  public static String generalise(String value) {
    CitizenIdNumber id = CharacterMasks.citizenIdNumber(value);
    return "region=" + id.regionCode() + ";birthYear=" + id.birthDate().getYear() + ";gender="
        + (id.isFemale() ? "F" : "M");
  }
}
