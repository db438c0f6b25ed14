package sluice.nodes.cli;

import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import sluice.crypto.psi.PsiSuite;
import sluice.gateway.Transport;
import sluice.gateway.client.ConsumerClient;
import sluice.gateway.client.PsiInput;
import sluice.gateway.client.PsiReceiver;
import sluice.nodes.data.CsvTables;
import sluice.v1.PsiMode;

/** {@code sluice psi}: private set intersection as a consumer department. */
@Command(
    name = "psi",
    mixinStandardHelpOptions = true,
    description = "Private set intersection and membership checks with another department's resource.",
    subcommands = {PsiCommand.Run.class, PsiCommand.Member.class})
final class PsiCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = {
        "Intersect your set of subject keys with another department's resource (ECDH-PSI).",
        "Your set is read from a CSV file. Only hashed, masked values leave this machine; the provider's department",
        "node masks its own keys, and learns nothing but the size of your set. Every gateway on the way",
        "checks your grant (each element counts as one subject against its daily quota) and audits the",
        "session's suite, sizes and result size."
      },
      footer = {
        "",
        "Example:",
        "  sluice psi run --work work/demo --as prov-11/dept-ca \\",
        "    --resource 3-44-002-001-000001 --own-resource 3-11-005-001-000001 \\",
        "    --input recipients.csv --column id_number --mode intersection \\",
        "    --purpose SOCIAL_ASSISTANCE_ELIGIBILITY --case BJ-MZ-2026-3000 --output found.csv",
        "",
        "Suites: SM2_SM3_SSWU (default; SM2 curve, SM3, RFC 9380 SSWU), SM2_SM3_TAI (try-and-increment,",
        "as the SecretFlow interconnection spec), P256_SHA256_SSWU (RFC 9380), X25519_SHA256.",
        "Modes: intersection (which of your keys the provider holds), cardinality (only how many).",
        "Exit codes: 0 done, 1 refused or failed, 2 usage error."
      })
  static final class Run implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin DepartmentLogin login;

    @Option(names = "--resource", required = true, description = "The provider's resource code, e.g. 3-44-002-001-000001.")
    String resource;

    @Option(names = "--own-resource", required = true,
        description = "Your own department's resource the set is drawn from, e.g. 3-11-005-001-000001.")
    String ownResource;

    @Option(names = "--input", required = true, description = "CSV file with a header row; one subject key per row.")
    Path input;

    @Option(names = "--column", description = "The column holding the keys (default: the first).")
    String column;

    @Option(names = "--suite", defaultValue = "SM2_SM3_SSWU", description = "Cipher suite (default: ${DEFAULT-VALUE}).")
    String suite;

    @Option(names = "--mode", defaultValue = "intersection", description = "intersection or cardinality (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--output", description = "Write the keys found here (CSV, intersection mode); default: print them.")
    Path output;

    @Mixin PurposeOptions why;

    @Option(names = "--threads", description = "Threads masking elements (default: the number of cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--work-dir", description = {
        "Where the session spills your distinct keys and the tags while it runs, in a private directory",
        "deleted at the end (default: the system's temporary directory). Needs about 40 bytes per element."})
    Path workDir = Path.of(System.getProperty("java.io.tmpdir"));

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      PsiSuite chosen;
      try {
        chosen = PsiSuite.named(suite);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--suite: " + e.getMessage());
      }
      PsiMode psiMode = switch (mode.toLowerCase(java.util.Locale.ROOT)) {
        case "intersection" -> PsiMode.INTERSECTION;
        case "cardinality" -> PsiMode.CARDINALITY;
        default -> throw new ParameterException(spec.commandLine(), "--mode must be intersection or cardinality, not " + mode);
      };
      if (threads < 1) {
        throw new ParameterException(spec.commandLine(), "--threads must be at least 1");
      }
      long[] read = {0};
      int[] col = {-1};
      PsiInput.Source keys = each -> CsvTables.forEachRow(input, (header, row, line) -> {
        if (col[0] < 0) {
          col[0] = column == null ? 0 : header.indexOf(column);
          if (col[0] < 0) {
            throw new ParameterException(spec.commandLine(), "--column: " + input + " has no column " + column
                + " (it has " + header + ")");
          }
        }
        String key = row.get(col[0]).strip();
        if (!key.isEmpty()) {
          read[0]++;
          each.accept(key);
        }
      });
      PsiInput set;
      try {
        set = PsiInput.spilled(keys, workDir);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--input: " + input + ": " + e.getMessage());
      }
      err.printf("%,d keys read from %s (%,d distinct); %s, %s mode%n", read[0], input, set.size(), chosen.id(),
          psiMode.name().toLowerCase(java.util.Locale.ROOT));
      PsiReceiver.Request request = new PsiReceiver.Request(
          why.context(),
          resource, ownResource, chosen, psiMode);
      ExecutorService work = Executors.newFixedThreadPool(threads, Transport.daemonThreads("sluice-psi"));
      ProgressBar bar = new ProgressBar(err, "elements masked");
      long t0 = System.nanoTime();
      try (set; Transport transport = Transport.create(login.revocations()); ConsumerClient client = login.connect(spec, transport)) {
        PsiReceiver.Result r = client.psiReceiver(work, threads, workDir).run(request, set, bar);
        bar.finish();
        double s = (System.nanoTime() - t0) / 1e9;
        err.printf("your set %,d, theirs %,d; %.1f s%s%n", r.receiverSetSize(), r.senderSetSize(), s,
            r.resumes() == 0 ? "" : "; resumed " + r.resumes() + " time(s) after dropped connections");
        if (psiMode == PsiMode.CARDINALITY) {
          out.printf("%d in common%n", r.size());
        } else if (output != null) {
          CsvTables.write(output, List.of(column == null ? "key" : column), () -> new java.util.Iterator<List<String>>() {
            private final java.util.Iterator<String> found = r.found().iterator();

            @Override
            public boolean hasNext() {
              return found.hasNext();
            }

            @Override
            public List<String> next() {
              return List.of(found.next());
            }
          });
          out.printf("%d in common, written to %s%n", r.size(), output);
        } else {
          out.printf("%d in common:%n", r.size());
          r.found().forEach(out::println);
        }
        return 0;
      } catch (StatusRuntimeException e) {
        bar.finish();
        return ConsumerOptions.failed(spec, e);
      } finally {
        work.shutdownNow();
      }
    }
  }

  @Command(
      name = "member",
      mixinStandardHelpOptions = true,
      description = {
        "Check privately whether another department's resource holds each subject (OPRF).",
        "No one but you learns which subjects you asked about: the provider's table of keyed tags is downloaded",
        "once, and each subject is evaluated blinded (an OPRF). Each subject counts against your",
        "grant's daily quota, and each check is audited (without the subject)."
      },
      footer = {
        "",
        "Example:",
        "  sluice psi member --work work/demo --as prov-11/dept-ca --resource 3-44-002-001-000001 \\",
        "    --subject 110102199112170114 --purpose SOCIAL_ASSISTANCE_ELIGIBILITY --case BJ-MZ-2026-5000",
        "",
        "Exit codes: 0 checked (printed per subject: in / not in), 1 refused or failed, 2 usage error."
      })
  static final class Member implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin DepartmentLogin login;

    @Option(names = "--resource", required = true, description = "The provider's resource code.")
    String resource;

    @Option(names = "--subject", required = true, description = "A subject key to check; repeat for more.")
    List<String> subjects;

    @Option(names = "--suite", defaultValue = "SM2_SM3_SSWU",
        description = "SM2_SM3_SSWU (default), SM2_SM3_TAI or P256_SHA256_SSWU.")
    String suite;

    @Mixin PurposeOptions why;

    @Override
    public Integer call() throws Exception {
      PsiSuite chosen;
      try {
        chosen = PsiSuite.forMembership(suite);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--suite: " + e.getMessage());
      }
      PrintWriter out = spec.commandLine().getOut();
      try (Transport transport = Transport.create(login.revocations()); ConsumerClient client = login.connect(spec, transport)) {
        sluice.gateway.client.MembershipChecker checker = client.membership(
            why.context(), resource, chosen);
        for (String subject : subjects) {
          out.printf("%s: %s%n", subject, checker.contains(subject) ? "in" : "not in");
        }
        spec.commandLine().getErr().printf("(the provider's table holds %,d keys)%n", checker.tableSize());
        return 0;
      } catch (StatusRuntimeException e) {
        return ConsumerOptions.failed(spec, e);
      }
    }
  }
}
