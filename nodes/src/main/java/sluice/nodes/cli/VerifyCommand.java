package sluice.nodes.cli;

import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import sluice.gateway.Transport;
import sluice.gateway.client.ConsumerClient;
import sluice.gateway.receipt.InvalidReceiptException;
import sluice.v1.Predicate;
import sluice.v1.ReceiptBody;
import sluice.v1.VerifyRequest;

/**
 * {@code sluice verify}: asks one question as a consumer department, through its provincial
 * gateway, and checks the receipt.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    header = "Ask one verification question and check the signed receipt.",
    description = {
      "Ask one verification question as a consumer department of a laid-out federation",
      "(e.g. one started with `sluice demo --serve`) and check the signed receipt."
    },
    footer = {
      "",
      "Example:",
      "  sluice verify --work work/demo --as prov-11/dept-ca \\",
      "    --resource 3-44-002-001-000001 --subject 110102199001010011 \\",
      "    --purpose SOCIAL_ASSISTANCE_ELIGIBILITY --case BJ-MZ-2026-1 \\",
      "    --predicate '{\"comparison\":{\"field\":\"enrolled\",\"op\":\"EQ\",\"values\":[{\"boolValue\":true}]}}'",
      "",
      "The predicate is the sluice.v1.Predicate message in protobuf JSON: a comparison",
      "{field, op (EXISTS EQ NE LT LE GT GE IN BETWEEN), values [{stringValue|intValue|",
      "decimalValue|dateValue|boolValue}]}, or all/any {operands: [...]}, or not.",
      "Exit codes: 0 answered (TRUE, FALSE or NO_RECORD), 1 refused or receipt invalid, 2 usage."
    })
final class VerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConsumerOptions who;

  @Option(names = "--predicate", required = true, description = "The predicate as protobuf JSON (see below).")
  String predicateJson;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Predicate predicate = PredicateJson.parse(spec, "--predicate", predicateJson);
    VerifyRequest request =
        VerifyRequest.newBuilder()
            .setContext(who.context())
            .setResourceCode(who.resource)
            .setSubjectKey(who.subject)
            .setPredicate(predicate)
            .build();
    try (Transport transport = Transport.create(who.login.revocations());
        ConsumerClient client = who.connect(spec, transport)) {
      ConsumerClient.Verified v = client.verify(request);
      ReceiptBody r = v.receipt();
      out.println(v.response().getAnswer());
      out.printf(
          "receipt: signed by %s at %s (%s), request %s, verified against the federation root%n",
          r.getNodeId(),
          Instant.ofEpochSecond(r.getAnsweredAt().getSeconds(), r.getAnsweredAt().getNanos()),
          v.response().getReceipt().getAlgorithm(),
          r.getRequestId());
      return 0;
    } catch (StatusRuntimeException | InvalidReceiptException e) {
      return ConsumerOptions.failed(spec, e);
    }
  }
}
