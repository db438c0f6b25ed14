package sluice.nodes.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import sluice.crypto.NodeId;
import sluice.crypto.pki.NodeCredentials;
import sluice.gateway.Transport;
import sluice.gateway.client.ConsumerClient;
import sluice.gateway.receipt.InvalidReceiptException;
import sluice.nodes.config.FederationFile;
import sluice.v1.Predicate;
import sluice.v1.ReceiptBody;
import sluice.v1.RequestContext;
import sluice.v1.VerifyRequest;

/**
 * {@code sluice verify}: asks one question as a consumer department, through its provincial
 * gateway, and checks the receipt.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
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

  @Option(names = "--work", required = true, description = "The federation's work folder (from `sluice setup` or `sluice demo`).")
  Path work;

  @Option(names = "--as", required = true, description = "The consumer department, e.g. prov-11/dept-ca.")
  String consumer;

  @Option(names = "--resource", required = true, description = "Resource code, e.g. 3-44-002-001-000001.")
  String resource;

  @Option(names = "--subject", required = true, description = "The subject's key (citizen ID, credit code, ...).")
  String subject;

  @Option(names = "--predicate", required = true, description = "The predicate as protobuf JSON (see below).")
  String predicateJson;

  @Option(names = "--purpose", required = true, description = "Declared purpose code.")
  String purpose;

  @Option(names = "--case", required = true, description = "Business case reference.")
  String caseReference;

  @Option(names = "--deadline-ms", defaultValue = "10000", description = "Deadline (default: ${DEFAULT-VALUE} ms).")
  long deadlineMs;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    NodeId me;
    Predicate.Builder predicate = Predicate.newBuilder();
    try {
      me = NodeId.parse(consumer);
      JsonFormat.parser().merge(predicateJson, predicate);
    } catch (IllegalArgumentException | InvalidProtocolBufferException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (!me.isDepartment()) {
      throw new ParameterException(spec.commandLine(), "--as must be a department, not " + me);
    }
    FederationFile.Directory directory = FederationFile.load(work.resolve("federation.yaml"));
    NodeId gateway = me.gateway().orElseThrow();
    NodeCredentials creds =
        NodeCredentials.load(work.resolve("pki").resolve("nodes").resolve(me.fileName()));
    VerifyRequest request =
        VerifyRequest.newBuilder()
            .setContext(RequestContext.newBuilder().setPurposeCode(purpose).setCaseReference(caseReference))
            .setResourceCode(resource)
            .setSubjectKey(subject)
            .setPredicate(predicate)
            .build();
    try (Transport transport = Transport.create();
        ConsumerClient client =
            new ConsumerClient(
                creds,
                directory.addresses().of(gateway).orElseThrow(() -> new IllegalStateException(gateway + " has no address in federation.yaml")),
                transport,
                Duration.ofMillis(deadlineMs))) {
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
    } catch (StatusRuntimeException e) {
      spec.commandLine()
          .getErr()
          .printf("refused: %s: %s%n", e.getStatus().getCode(), e.getStatus().getDescription());
      return 1;
    } catch (InvalidReceiptException e) {
      spec.commandLine().getErr().println("answer not trusted: " + e.getMessage());
      return 1;
    }
  }
}
