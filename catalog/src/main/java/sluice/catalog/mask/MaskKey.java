package sluice.catalog.mask;

import javax.crypto.SecretKey;

/**
 * The keys the keyed masks use for one consumer, and the id recorded with every value masked
 * under them (so an auditor knows which key, and a holder of the key can reverse FPE or
 * encryption). Pseudonyms, format-preserving substitutes (FPE and checksum pseudonyms, told
 * apart by their FF1 tweaks) and encryption each have their own key.
 *
 * @param id e.g. {@code prov-44/dept-hrss#1:prov-11/dept-ca}
 */
public record MaskKey(String id, SecretKey pseudonym, SecretKey formatPreserving, SecretKey encryption) {}
