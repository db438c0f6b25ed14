package sluice.catalog.entry;

/** What a field means, which decides the masks that fit it. */
public enum SemanticType {
  CN_ID_CARD,
  CN_MOBILE,
  BANK_CARD,
  CN_USCC,
  CN_NAME,
  ORG_NAME,
  ADDRESS,
  REGION_CODE,
  DATE,
  AMOUNT,
  COUNT,
  CODE,
  FLAG,
  TEXT
}
