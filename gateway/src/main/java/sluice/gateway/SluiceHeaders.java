package sluice.gateway;

import io.grpc.Metadata;

/**
 * Metadata keys that travel between federation nodes. Only gateways and the hub may set
 * {@link #CONSUMER}; a gateway accepts it only from a peer whose certificate makes it a
 * forwarding node for that consumer's province.
 */
public final class SluiceHeaders {
  private SluiceHeaders() {}

  /** The consumer department a forwarded call is made for, e.g. {@code prov-11/dept-psb}. */
  public static final Metadata.Key<String> CONSUMER =
      Metadata.Key.of("sluice-consumer", Metadata.ASCII_STRING_MARSHALLER);

  /** The request id the first gateway assigned, shared by every hop's audit record. */
  public static final Metadata.Key<String> REQUEST_ID =
      Metadata.Key.of("sluice-request-id", Metadata.ASCII_STRING_MARSHALLER);

  /**
   * In trailers from an enforcing gateway: the catalogue snapshot it decided from and how old
   * it is, e.g. {@code prov-11 v1764383000123 issued 2026-11-29T03:23:20.123Z age 1500 ms}.
   */
  public static final Metadata.Key<String> CATALOG_SNAPSHOT =
      Metadata.Key.of("sluice-catalog-snapshot", Metadata.ASCII_STRING_MARSHALLER);

  /**
   * On a Query the provider's gateway forwards to the department node: the serialized
   * {@code sluice.v1.MaskObligation}, the mask each field must leave under. A department node
   * takes it only from its own provincial gateway.
   */
  public static final Metadata.Key<byte[]> MASK_OBLIGATION =
      Metadata.Key.of("sluice-mask-obligation-bin", Metadata.BINARY_BYTE_MARSHALLER);

  /**
   * On every call the provider's gateway forwards to a department under limited grants: the
   * serialized {@code sluice.v1.RowScope}, which records the consumer may reach.
   */
  public static final Metadata.Key<byte[]> ROW_SCOPE =
      Metadata.Key.of("sluice-row-scope-bin", Metadata.BINARY_BYTE_MARSHALLER);

  /** In error trailers: the node that produced the error. */
  public static final Metadata.Key<String> ORIGIN =
      Metadata.Key.of("sluice-error-origin", Metadata.ASCII_STRING_MARSHALLER);
}
