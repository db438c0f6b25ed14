package sluice.gateway.catalog;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import sluice.catalog.entry.InvalidEntryException;
import sluice.catalog.entry.Problem;
import sluice.catalog.grant.AccessException;
import sluice.catalog.store.CatalogConflictException;

/** The status a steward sees when the catalogue or the access workflow refuses a change. */
final class CatalogRefusals {
  private CatalogRefusals() {}

  /**
   * INVALID_ARGUMENT listing every problem in the message, and each one with its path as a
   * google.rpc.BadRequest field violation, so a client can point at the offending key.
   */
  static StatusRuntimeException of(InvalidEntryException e) {
    BadRequest.Builder bad = BadRequest.newBuilder();
    for (Problem p : e.problems()) {
      bad.addFieldViolations(
          BadRequest.FieldViolation.newBuilder().setField(p.path()).setDescription(p.message()));
    }
    return StatusProto.toStatusRuntimeException(
        com.google.rpc.Status.newBuilder()
            .setCode(Code.INVALID_ARGUMENT_VALUE)
            .setMessage(e.getMessage())
            .addDetails(Any.pack(bad.build()))
            .build());
  }

  static StatusRuntimeException of(CatalogConflictException e) {
    Status status =
        switch (e.kind()) {
          case EXISTS -> Status.ALREADY_EXISTS;
          case UNKNOWN -> Status.NOT_FOUND;
          case STALE -> Status.ABORTED;
          case REFUSED -> Status.FAILED_PRECONDITION;
        };
    return status.withDescription(e.getMessage()).asRuntimeException();
  }

  static StatusRuntimeException of(AccessException e) {
    Status status =
        switch (e.kind()) {
          case INVALID -> Status.INVALID_ARGUMENT;
          case NOT_FOUND -> Status.NOT_FOUND;
          case STATE -> Status.FAILED_PRECONDITION;
          case RACE -> Status.ABORTED;
        };
    return status.withDescription(e.getMessage()).asRuntimeException();
  }
}
