package sluice.nodes.synth;

import java.time.LocalDate;
import sluice.crypto.Province;

/**
 * A synthetic market entity registered in {@code province}.
 *
 * @param registeredCapital in 10,000 yuan (万元)
 * @param status {@code ACTIVE}, {@code REVOKED} or {@code DEREGISTERED}
 */
record Company(
    Province province,
    String uscc,
    String name,
    String legalRepId,
    double registeredCapital,
    LocalDate established,
    String status,
    County county) {

  boolean isActive() {
    return status.equals("ACTIVE");
  }
}
