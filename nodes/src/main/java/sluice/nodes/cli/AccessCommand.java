package sluice.nodes.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import sluice.v1.AccessRequestView;
import sluice.v1.DecideAccessRequest;
import sluice.v1.GrantView;
import sluice.v1.ListAccessRequestsRequest;
import sluice.v1.ListGrantsRequest;
import sluice.v1.RequestAccessRequest;
import sluice.v1.RevokeGrantRequest;

/** {@code sluice access ...}: access requests, decisions and grants. */
@Command(
    name = "access",
    mixinStandardHelpOptions = true,
    description = "Access to conditional resources: request, approve, reject, revoke, list.",
    subcommands = {
      AccessCommand.Request.class,
      AccessCommand.Approve.class,
      AccessCommand.Reject.class,
      AccessCommand.Revoke.class,
      AccessCommand.ListAll.class
    },
    footer = {
      "",
      "Examples:",
      "  sluice access request 3-44-002-001-000001 --work work/demo --as prov-11/dept-ca --fields enrolled \\",
      "      --purposes SOCIAL_ASSISTANCE_ELIGIBILITY --legal-basis '社会救助暂行办法 第十一条' --days 90 --daily 500",
      "  sluice access approve AR-0123456789abcdef --work work/demo --as prov-44/dept-hrss --steward '张敏' \\",
      "      --reason 'dibao review 2026'",
      "  sluice access revoke G-0123456789abcdef --work work/demo --as prov-44/dept-hrss --reason 'case closed'",
      "  sluice access list --resource 3-44 --work work/demo --as prov-44/dept-hrss",
      "",
      "With --work and --as the command goes through that department's provincial gateway: a consumer",
      "files and lists its own requests; only the resource's provider approves, rejects and revokes.",
      "Without --work it acts on the hub's catalogue database (--store) as the hub's operator.",
      "",
      "Exit codes: 0 done, 1 refused (the reason is printed), 2 usage error."
    })
final class AccessCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "request", mixinStandardHelpOptions = true, description = "File an access request as a consumer department (--as).")
  static final class Request implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CatalogTarget target;

    @Parameters(paramLabel = "CODE", description = "Resource code.")
    String code;

    @Option(names = "--fields", required = true, split = ",", description = "Fields needed.")
    List<String> fields;

    @Option(names = "--purposes", required = true, split = ",", description = "Purpose codes.")
    List<String> purposes;

    @Option(names = "--legal-basis", required = true, description = "The law or regulation the use rests on.")
    String legalBasis;

    @Option(names = "--days", defaultValue = "90", description = "Duration of the grant (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--daily", defaultValue = "100", description = "Expected subjects per day (default: ${DEFAULT-VALUE}).")
    long daily;

    @Option(names = "--query", description = "Also read the masked fields of records (sluice query), not only ask.")
    boolean query;

    @Option(names = "--mask", paramLabel = "FIELD=MASK",
        description = "With --query: read FIELD under MASK instead of its default (one of the field's allowed masks).")
    java.util.Map<String, String> masks = new java.util.HashMap<>();

    @Override
    public Integer call() throws Exception {
      return target.run(spec, (catalog, out) -> {
        AccessRequestView r = catalog.requestAccess(RequestAccessRequest.newBuilder()
            .setResourceCode(code).addAllFields(fields).addAllPurposes(purposes).setLegalBasis(legalBasis)
            .setDurationDays(Math.max(0, days)).setExpectedDailyVolume(Math.max(0, daily)).setQuery(query).putAllMasks(masks).build());
        out.println("filed " + r.getRequestId() + " (pending the provider's decision)");
      });
    }
  }

  @Command(name = "approve", mixinStandardHelpOptions = true, description = "Approve a pending request, issuing a grant.")
  static final class Approve implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CatalogTarget target;

    @Parameters(paramLabel = "REQUEST", description = "Request id (AR-...).")
    String id;

    @Option(names = "--steward", required = true, description = "Who decides.")
    String steward;

    @Option(names = "--reason", defaultValue = "", description = "Note kept with the decision.")
    String reason;

    @Option(names = "--same-province", paramLabel = "FIELD",
        description = "Limit the grant to records whose FIELD (region code, citizen ID or credit code) is in the"
            + " consumer's province; others answer NO_RECORD.")
    String sameProvince;

    @Override
    public Integer call() throws Exception {
      return target.run(spec, (catalog, out) -> {
        AccessRequestView r = catalog.decideAccess(DecideAccessRequest.newBuilder()
            .setRequestId(id).setApprove(true).setSteward(steward).setReason(reason)
            .setSameProvinceField(sameProvince == null ? "" : sameProvince).build());
        GrantView g = catalog.listGrants(ListGrantsRequest.newBuilder().setResourceCodePrefix(r.getResourceCode()).build())
            .getGrantsList().stream().filter(x -> x.getGrantId().equals(r.getGrantId())).findFirst().orElseThrow();
        out.println("approved " + id + ": grant " + g.getGrantId() + " until " + g.getExpiresAt() + ", "
            + g.getDailyQuota() + " subjects/day");
      });
    }
  }

  @Command(name = "reject", mixinStandardHelpOptions = true, description = "Reject a pending request with a reason.")
  static final class Reject implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CatalogTarget target;

    @Parameters(paramLabel = "REQUEST", description = "Request id (AR-...).")
    String id;

    @Option(names = "--steward", required = true, description = "Who decides.")
    String steward;

    @Option(names = "--reason", required = true, description = "Why; shown to the consumer.")
    String reason;

    @Override
    public Integer call() throws Exception {
      return target.run(spec, (catalog, out) -> {
        catalog.decideAccess(DecideAccessRequest.newBuilder()
            .setRequestId(id).setApprove(false).setSteward(steward).setReason(reason).build());
        out.println("rejected " + id);
      });
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a grant at once.")
  static final class Revoke implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CatalogTarget target;

    @Parameters(paramLabel = "GRANT", description = "Grant id (G-...).")
    String id;

    @Option(names = "--reason", required = true, description = "Why.")
    String reason;

    @Override
    public Integer call() throws Exception {
      return target.run(spec, (catalog, out) -> {
        GrantView g = catalog.revokeGrant(RevokeGrantRequest.newBuilder().setGrantId(id).setReason(reason).build());
        out.println("revoked " + g.getGrantId() + " at " + g.getRevokedAt());
      });
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List requests and grants.")
  static final class ListAll implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CatalogTarget target;

    @Option(names = "--resource", defaultValue = "", description = "Resource code or code prefix, e.g. 3-44.")
    String prefix;

    @Override
    public Integer call() throws Exception {
      return target.run(spec, (catalog, out) -> {
        for (AccessRequestView r : catalog.listAccessRequests(
            ListAccessRequestsRequest.newBuilder().setResourceCodePrefix(prefix).build()).getRequestsList()) {
          out.printf("request %s  %-8s %s -> %s  fields %s  purposes %s%s%n", r.getRequestId(), r.getStatus(),
              r.getConsumerNodeId(), r.getResourceCode(), r.getFieldsList(), r.getPurposesList(),
              r.getDecisionReason().isEmpty() ? "" : "  (" + r.getDecisionReason() + ")");
        }
        for (GrantView g : catalog.listGrants(ListGrantsRequest.newBuilder().setResourceCodePrefix(prefix).build())
            .getGrantsList()) {
          out.printf("grant   %s  %-8s %s -> %s  %s  until %s  %d/day%s%n", g.getGrantId(),
              g.getRevokedAt().isEmpty() ? "ISSUED" : "REVOKED", g.getConsumerNodeId(), g.getResourceCode(),
              g.getQuery() ? "verify+query" : "verify", g.getExpiresAt(), g.getDailyQuota(),
              g.getRevocationReason().isEmpty() ? "" : "  (" + g.getRevocationReason() + ")");
        }
      });
    }
  }
}
