package sluice.nodes.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import sluice.v1.Predicate;

/** A predicate given on the command line as sluice.v1.Predicate in protobuf JSON. */
final class PredicateJson {
  private PredicateJson() {}

  /**
   * @throws ParameterException (a usage error) naming {@code option} when the JSON is not a predicate
   */
  static Predicate parse(CommandSpec spec, String option, String json) {
    Predicate.Builder predicate = Predicate.newBuilder();
    try {
      JsonFormat.parser().merge(json, predicate);
    } catch (InvalidProtocolBufferException e) {
      throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
    }
    return predicate.build();
  }
}
