package sluice.nodes.cli;

import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sluice.gateway.Transport;
import sluice.gateway.client.ConsumerClient;
import sluice.v1.AggregateRequest;
import sluice.v1.AggregateResponse;
import sluice.v1.Predicate;

/** {@code sluice aggregate}: a count (and sum) across provinces by secure aggregation. */
@Command(
    name = "aggregate",
    mixinStandardHelpOptions = true,
    description = {
      "Count (and sum) records across three or more provinces by secure aggregation.",
      "The records are those satisfying a predicate over one resource in each province. The hub runs the protocol: each province's department masks its figures with masks",
      "that cancel only in the sum, so the hub learns only the total and no one learns a province's",
      "own figure. A province that refuses or drops out is left out by a clean retry (named in the",
      "output); a total of fewer than 10 records is suppressed."
    },
    footer = {
      "",
      "Example:",
      "  sluice aggregate --work work/demo --as prov-11/dept-ca \\",
      "    --resources 3-11-002-001-000001,3-31-002-001-000001,3-44-002-001-000001 \\",
      "    --predicate '{\"comparison\":{\"field\":\"enrolled\",\"op\":\"EQ\",\"values\":[{\"boolValue\":true}]}}' \\",
      "    --sum monthly_contribution_base --purpose SOCIAL_ASSISTANCE_ELIGIBILITY --case BJ-MZ-2026-4000",
      "",
      "Each resource needs a grant (for the predicate's fields and the summed field) to the caller.",
      "Exit codes: 0 a total or a suppression, 1 refused or failed, 2 usage error."
    })
final class AggregateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin DepartmentLogin login;

  @Option(names = "--resources", required = true, split = ",", description = "Resource codes, one per province, at least three.")
  List<String> resources;

  @Option(names = "--predicate", required = true, description = "Which records count, as sluice.v1.Predicate JSON (see verify --help).")
  String predicateJson;

  @Option(names = "--sum", description = "Also sum this INTEGER field over the records counted.")
  String sumField;

  @Mixin PurposeOptions why;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Predicate predicate = PredicateJson.parse(spec, "--predicate", predicateJson);
    AggregateRequest request = AggregateRequest.newBuilder()
        .setContext(why.context())
        .addAllResourceCodes(resources)
        .setPredicate(predicate)
        .setSumField(sumField == null ? "" : sumField)
        .build();
    try (Transport transport = Transport.create(login.revocations()); ConsumerClient client = login.connect(spec, transport)) {
      AggregateResponse r = client.aggregate(request);
      if (r.getSuppressed()) {
        out.printf("suppressed: fewer than %d records count, so no figure is given%n", r.getSuppressionThreshold());
      } else {
        out.printf("count %d%s%n", r.getCount(), sumField == null ? "" : ", sum of " + sumField + " " + r.getSum());
      }
      out.printf("participants: %s%n", String.join(", ", r.getParticipantsList()));
      if (r.getDroppedCount() > 0) {
        out.printf("left out (the total does not include them): %s%n", String.join("; ", r.getDroppedList()));
      }
      out.printf("request %s, %d session(s)%n", r.getRequestId(), r.getAttempts());
      return 0;
    } catch (StatusRuntimeException e) {
      return ConsumerOptions.failed(spec, e);
    }
  }
}
