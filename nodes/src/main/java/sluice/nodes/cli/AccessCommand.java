package sluice.nodes.cli;

import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import sluice.catalog.grant.AccessException;
import sluice.catalog.grant.AccessRequest;
import sluice.catalog.grant.AccessService;
import sluice.catalog.grant.Grant;
import sluice.catalog.store.Database;
import sluice.catalog.store.JdbcGrantStore;
import sluice.crypto.NodeId;

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
      "  sluice access request 3-44-002-001-000001 --as prov-11/dept-ca --fields enrolled \\",
      "      --purposes SOCIAL_ASSISTANCE_ELIGIBILITY --legal-basis '社会救助暂行办法 第十一条' --days 90 --daily 500",
      "  sluice access approve AR-0123456789abcdef --steward '张敏' --reason 'dibao review 2026'",
      "  sluice access revoke G-0123456789abcdef --reason 'case closed'",
      "  sluice access list --resource 3-44",
      "",
      "Exit codes: 0 done, 1 refused (the reason is printed), 2 usage error."
    })
final class AccessCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static AccessService service(Database db) {
    return new AccessService(
        new CatalogCommand.StoreOption().catalog(db), new JdbcGrantStore(db), Clock.systemUTC(), new SecureRandom());
  }

  /** Runs {@code action}, printing a refusal instead of failing. */
  static int attempt(CommandSpec spec, CatalogCommand.StoreOption store, Action action) {
    try (Database db = store.open()) {
      action.run(service(db), new JdbcGrantStore(db), spec.commandLine().getOut());
      return 0;
    } catch (AccessException e) {
      spec.commandLine().getErr().println(e.getMessage());
      return 1;
    }
  }

  interface Action {
    void run(AccessService access, JdbcGrantStore grants, PrintWriter out) throws AccessException;
  }

  @Command(name = "request", mixinStandardHelpOptions = true, description = "File an access request as a consumer department.")
  static final class Request implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CatalogCommand.StoreOption store;

    @Parameters(paramLabel = "CODE", description = "Resource code.")
    String code;

    @Option(names = "--as", required = true, description = "The consumer department, e.g. prov-11/dept-ca.")
    String consumer;

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

    @Override
    public Integer call() {
      NodeId who = NodeId.parse(consumer);
      return attempt(spec, store, (access, grants, out) -> {
        AccessRequest r = access.request(who, code, fields, purposes, legalBasis, days, daily);
        out.println("filed " + r.id() + " (pending the provider's decision)");
      });
    }
  }

  @Command(name = "approve", mixinStandardHelpOptions = true, description = "Approve a pending request, issuing a grant.")
  static final class Approve implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CatalogCommand.StoreOption store;

    @Parameters(paramLabel = "REQUEST", description = "Request id (AR-...).")
    String id;

    @Option(names = "--steward", required = true, description = "Who decides.")
    String steward;

    @Option(names = "--reason", defaultValue = "", description = "Note kept with the decision.")
    String reason;

    @Override
    public Integer call() {
      return attempt(spec, store, (access, grants, out) -> {
        Grant g = access.approve(id, steward, reason);
        out.println("approved " + id + ": grant " + g.id() + " until " + g.expiresAt() + ", " + g.dailyQuota() + " subjects/day");
      });
    }
  }

  @Command(name = "reject", mixinStandardHelpOptions = true, description = "Reject a pending request with a reason.")
  static final class Reject implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CatalogCommand.StoreOption store;

    @Parameters(paramLabel = "REQUEST", description = "Request id (AR-...).")
    String id;

    @Option(names = "--steward", required = true, description = "Who decides.")
    String steward;

    @Option(names = "--reason", required = true, description = "Why; shown to the consumer.")
    String reason;

    @Override
    public Integer call() {
      return attempt(spec, store, (access, grants, out) -> {
        access.reject(id, steward, reason);
        out.println("rejected " + id);
      });
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a grant at once.")
  static final class Revoke implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CatalogCommand.StoreOption store;

    @Parameters(paramLabel = "GRANT", description = "Grant id (G-...).")
    String id;

    @Option(names = "--reason", required = true, description = "Why.")
    String reason;

    @Override
    public Integer call() {
      return attempt(spec, store, (access, grants, out) -> {
        Grant g = access.revoke(id, reason);
        out.println("revoked " + g.id() + " at " + g.revokedAt());
      });
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List requests and grants.")
  static final class ListAll implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CatalogCommand.StoreOption store;

    @Option(names = "--resource", defaultValue = "", description = "Resource code or code prefix, e.g. 3-44.")
    String prefix;

    @Override
    public Integer call() {
      return attempt(spec, store, (access, grants, out) -> {
        for (AccessRequest r : grants.requests(prefix, null)) {
          out.printf("request %s  %-8s %s -> %s  fields %s  purposes %s%s%n", r.id(), r.status(), r.consumer(),
              r.resourceCode(), r.fields(), r.purposes(),
              r.decisionReason() == null || r.decisionReason().isEmpty() ? "" : "  (" + r.decisionReason() + ")");
        }
        for (Grant g : grants.grants(prefix)) {
          out.printf("grant   %s  %-8s %s -> %s  until %s  %d/day%s%n", g.id(),
              g.revokedAt() != null ? "REVOKED" : "ISSUED", g.consumer(), g.resourceCode(), g.expiresAt(),
              g.dailyQuota(), g.revocationReason() == null ? "" : "  (" + g.revocationReason() + ")");
        }
      });
    }
  }
}
