package sluice.gateway.metrics;

import com.google.rpc.ErrorInfo;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;

/** The reason a refusal is counted under: its ErrorInfo reason code if it carries one, else its status code. */
final class RefusalReasons {
  private RefusalReasons() {}

  static String of(Status status, Metadata trailers) {
    com.google.rpc.Status details = StatusProto.fromStatusAndTrailers(status, trailers);
    if (details != null) {
      for (com.google.protobuf.Any a : details.getDetailsList()) {
        if (a.is(ErrorInfo.class)) {
          try {
            String reason = a.unpack(ErrorInfo.class).getReason();
            if (!reason.isEmpty()) {
              return reason;
            }
          } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            break;
          }
        }
      }
    }
    return status.getCode().name();
  }
}
