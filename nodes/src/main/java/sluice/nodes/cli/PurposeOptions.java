package sluice.nodes.cli;

import picocli.CommandLine.Option;
import sluice.v1.RequestContext;

/** Why a consumer asks: the declared purpose and the business case, which every call carries. */
final class PurposeOptions {
  @Option(names = "--purpose", required = true, description = "Declared purpose code.")
  String purpose;

  @Option(names = "--case", required = true, description = "Business case reference.")
  String caseReference;

  RequestContext context() {
    return RequestContext.newBuilder().setPurposeCode(purpose).setCaseReference(caseReference).build();
  }
}
