package sluice.nodes.synth;

/**
 * A county-level division where synthetic people live and companies register.
 *
 * @param code the 6-digit GB/T 2260 code, e.g. {@code 440106}
 * @param city the city's short name as used in company names, e.g. {@code 广州}
 * @param localName the name below province level as used in addresses, e.g. {@code 广州市天河区}
 */
record County(String code, String city, String localName) {}
