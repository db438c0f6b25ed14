package sluice.nodes.synth;

import java.time.LocalDate;
import sluice.crypto.Province;

/**
 * A synthetic resident, as the population registry of {@code province} records them.
 *
 * @param status {@code ACTIVE}, {@code DECEASED} or {@code EMIGRATED}
 */
record Person(
    Province province,
    String idNumber,
    String name,
    boolean female,
    LocalDate birthDate,
    County county,
    String address,
    String status) {

  boolean isActive() {
    return status.equals("ACTIVE");
  }
}
