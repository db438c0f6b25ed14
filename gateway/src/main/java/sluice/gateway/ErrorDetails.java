package sluice.gateway;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.Map;

/**
 * google.rpc error details on Sluice's refusals: every error a node returns carries an {@link
 * ErrorInfo} in domain {@value #DOMAIN} with a stable reason code (what programs branch on; the
 * message is for people) and what it concerns (resource, grant, purpose, consumer, node).
 * Gateways pass them through unchanged when they relay another node's error.
 */
public final class ErrorDetails {
  public static final String DOMAIN = "sluice.v1";
  /** The trailer gRPC carries google.rpc.Status details in. */
  static final Metadata.Key<byte[]> STATUS_DETAILS =
      Metadata.Key.of("grpc-status-details-bin", Metadata.BINARY_BYTE_MARSHALLER);

  private ErrorDetails() {}

  /** A refusal with {@code code}, {@code message}, and an ErrorInfo of {@code reason} and {@code metadata}. */
  public static StatusRuntimeException refusal(Status.Code code, String message, String reason, Map<String, String> metadata) {
    return StatusProto.toStatusRuntimeException(details(code, message, reason, metadata));
  }

  /** Whether {@code trailers} already carry error details. */
  static boolean present(Metadata trailers) {
    return trailers.containsKey(STATUS_DETAILS);
  }

  /**
   * Adds to {@code trailers} an ErrorInfo naming the status code as the reason, for an error
   * that was made without details; its metadata names {@code node}.
   */
  static void addGeneric(Status status, Metadata trailers, String node) {
    trailers.put(STATUS_DETAILS, details(status.getCode(), status.getDescription() == null ? "" : status.getDescription(),
        status.getCode().name(), Map.of("node", node)).toByteArray());
  }

  private static com.google.rpc.Status details(Status.Code code, String message, String reason, Map<String, String> metadata) {
    return com.google.rpc.Status.newBuilder()
        .setCode(code.value())
        .setMessage(message)
        .addDetails(Any.pack(ErrorInfo.newBuilder().setReason(reason).setDomain(DOMAIN).putAllMetadata(metadata).build()))
        .build();
  }
}
