package sluice.catalog.grant;

/** What a call does with a resource, which a grant must allow. */
public enum Operation {
  /** Ask a yes/no question about one subject's record (Verify, BatchVerify). */
  VERIFY,
  /** Read the masked fields of one subject's record (Query). */
  QUERY
}
