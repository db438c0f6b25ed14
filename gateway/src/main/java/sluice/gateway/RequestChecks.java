package sluice.gateway;

import io.grpc.StatusRuntimeException;
import sluice.v1.RequestContext;

/** Field checks every gateway applies before doing any other work on a request. */
final class RequestChecks {
  static final int MAX_TEXT = 256;

  private RequestChecks() {}

  /**
   * @throws StatusRuntimeException INVALID_ARGUMENT naming the missing or oversized field
   */
  static void context(RequestContext ctx, String path) {
    text(ctx.getPurposeCode(), path + ".purpose_code", "the declared purpose code");
    text(ctx.getCaseReference(), path + ".case_reference", "the business case reference");
    if (ctx.getRequestId().length() > MAX_TEXT) {
      throw Refusals.invalid(path + ".request_id is longer than " + MAX_TEXT + " characters");
    }
  }

  static void text(String value, String path, String what) {
    if (value.isBlank()) {
      throw Refusals.invalid(path + " is empty: every request must carry " + what);
    }
    if (value.length() > MAX_TEXT) {
      throw Refusals.invalid(path + " is longer than " + MAX_TEXT + " characters");
    }
  }
}
