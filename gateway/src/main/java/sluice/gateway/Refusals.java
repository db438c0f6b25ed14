package sluice.gateway;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** Short-hands for the statuses a gateway refuses with; messages say what to change. */
public final class Refusals {
  private Refusals() {}

  public static StatusRuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }

  public static StatusRuntimeException denied(String message) {
    return Status.PERMISSION_DENIED.withDescription(message).asRuntimeException();
  }

  public static StatusRuntimeException notFound(String message) {
    return Status.NOT_FOUND.withDescription(message).asRuntimeException();
  }
}
