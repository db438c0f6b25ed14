package sluice.nodes.cli;

import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sluice.gateway.Transport;
import sluice.gateway.client.ConsumerClient;
import sluice.gateway.receipt.InvalidReceiptException;
import sluice.v1.FieldValue;
import sluice.v1.QueryRequest;
import sluice.v1.ReceiptBody;

/**
 * {@code sluice query}: reads the granted fields of one record as a consumer department, each
 * masked as the provider's gateway ordered, and checks the receipt covers every field.
 */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    header = "Read one subject's granted fields, masked, and check the receipt.",
    description = {
      "Read the granted fields of one subject's record as a consumer department, masked inside",
      "the provider, and check the signed receipt. Needs a grant that allows Query",
      "(`sluice access request ... --query`) or an unconditional resource."
    },
    footer = {
      "",
      "Example:",
      "  sluice query --work work/demo --as prov-11/dept-ca \\",
      "    --resource 3-44-001-001-000001 --subject 440104199001010011 \\",
      "    --purpose SOCIAL_ASSISTANCE_ELIGIBILITY --case BJ-MZ-2026-1 --fields name,birth_date,address",
      "",
      "Exit codes: 0 answered (the fields, or NO_RECORD), 1 refused or receipt invalid, 2 usage."
    })
final class QueryCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConsumerOptions who;

  @Option(names = "--fields", required = true, split = ",", description = "The fields to read.")
  List<String> fields;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    QueryRequest request =
        QueryRequest.newBuilder()
            .setContext(who.context())
            .setResourceCode(who.resource)
            .setSubjectKey(who.subject)
            .addAllFields(fields)
            .build();
    try (Transport transport = Transport.create(who.login.revocations());
        ConsumerClient client = who.connect(spec, transport)) {
      ConsumerClient.Queried q = client.query(request);
      ReceiptBody r = q.receipt();
      out.println(q.response().getAnswer());
      for (FieldValue f : q.response().getFieldsList()) {
        out.printf("  %-28s %-34s %s%s%n", f.getName(), f.getValue(), f.getMask(),
            f.getKeyId().isEmpty() ? "" : ", key " + f.getKeyId());
      }
      out.printf(
          "receipt: signed by %s at %s (%s), request %s, %d field digests, verified against the federation root%n",
          r.getNodeId(),
          Instant.ofEpochSecond(r.getAnsweredAt().getSeconds(), r.getAnsweredAt().getNanos()),
          q.response().getReceipt().getAlgorithm(),
          r.getRequestId(),
          r.getFieldDigestsCount());
      return 0;
    } catch (StatusRuntimeException | InvalidReceiptException e) {
      return ConsumerOptions.failed(spec, e);
    }
  }
}
