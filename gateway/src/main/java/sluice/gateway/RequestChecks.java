package sluice.gateway;

import io.grpc.StatusRuntimeException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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

  /** Most fields one Query may read. */
  static final int MAX_QUERY_FIELDS = 64;

  /**
   * The field names a Query asks for: at least one, none twice, none empty, at most
   * {@value #MAX_QUERY_FIELDS}.
   */
  static List<String> fieldNames(List<String> fields) {
    if (fields.isEmpty()) {
      throw Refusals.invalid("fields is empty: name the fields to read");
    }
    if (fields.size() > MAX_QUERY_FIELDS) {
      throw Refusals.invalid("fields names " + fields.size() + " fields; at most " + MAX_QUERY_FIELDS + " per Query");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < fields.size(); i++) {
      text(fields.get(i), "fields[" + i + "]", "a field name");
      if (!seen.add(fields.get(i))) {
        throw Refusals.invalid("fields[" + i + "]: \"" + fields.get(i) + "\" is named twice");
      }
    }
    return List.copyOf(fields);
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
