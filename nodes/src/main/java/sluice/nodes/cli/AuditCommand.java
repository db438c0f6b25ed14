package sluice.nodes.cli;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import sluice.crypto.NodeId;
import sluice.crypto.merkle.Checkpoint;
import sluice.crypto.merkle.MerkleProofs;
import sluice.crypto.merkle.TreeHash;
import sluice.crypto.note.SignedNote;
import sluice.crypto.note.Sm2NoteKeys;
import sluice.crypto.pki.NodeCredentials;
import sluice.crypto.pki.PemFiles;
import sluice.crypto.pki.SigningChains;
import sluice.crypto.pki.TlsContexts;
import sluice.gateway.NodeAddresses;
import sluice.gateway.Transport;
import sluice.gateway.audit.AuditKeyFile;
import sluice.gateway.audit.BundleVerifier;
import sluice.gateway.audit.LogName;
import sluice.nodes.config.FederationFile;
import sluice.v1.AuditEntry;
import sluice.v1.AuditPage;
import sluice.v1.AuditQuery;
import sluice.v1.AuditRecord;
import sluice.v1.AuditServiceGrpc;
import sluice.v1.Decision;
import sluice.v1.ExportChunk;
import sluice.v1.ExportRequest;
import sluice.v1.GetCheckpointRequest;
import sluice.v1.InclusionProof;
import sluice.v1.InclusionProofRequest;
import sluice.v1.SubjectReportRequest;

/** {@code sluice audit ...}: the auditors' tools over the gateways' audit logs. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Query, prove, export and verify the gateways' tamper-evident audit logs.",
    subcommands = {
      AuditCommand.Query.class,
      AuditCommand.CheckpointCmd.class,
      AuditCommand.Prove.class,
      AuditCommand.Export.class,
      AuditCommand.Verify.class,
      AuditCommand.SubjectReport.class
    },
    footer = {
      "",
      "Online commands connect to --gateway presenting the credentials of --as: the gateway's own",
      "(its operators) or national (federation auditors). `verify` needs no node running.",
      "",
      "Exit codes: 0 done (verify: the bundle verifies), 1 refused or failed verification, 2 usage."
    })
final class AuditCommand {
  private AuditCommand() {}

  /** The federation, the auditor's identity, and the gateway asked. */
  static final class Target {
    @Option(names = "--work", required = true, description = "The federation's work folder.")
    Path work;

    @Option(names = "--gateway", required = true, description = "The gateway whose log to read: national or prov-CC.")
    String gateway;

    @Option(names = "--as", description = "Whose credentials to present: the gateway itself (default) or national.")
    String as;

    @Option(names = "--instance", description = "For a gateway run as several instances: the instance whose own log"
        + " to read (checkpoint, prove and export need one; queries answer for every instance).")
    String instance;

    /** Whether the command concerns one log (so one instance of a gateway run as several). */
    boolean oneLog;

    /** The instance connected to, when one ({@link NodeAddresses#SOLE} for a gateway run as one). */
    String connected = NodeAddresses.SOLE;

    /** The instance asked: --instance, or the only one; empty when a query may go to any of several. */
    Optional<String> instanceName(CommandSpec spec, java.util.Map<String, InetSocketAddress> listed) {
      NodeId g = gatewayId(spec);
      if (instance != null) {
        if (!listed.containsKey(instance)) {
          throw new ParameterException(spec.commandLine(), "--instance: federation.yaml lists no instance " + instance
              + " of " + g + (listed.isEmpty() ? "" : " (it lists " + listed.keySet() + ")"));
        }
        return Optional.of(instance);
      }
      if (listed.size() == 1) {
        return Optional.of(listed.keySet().iterator().next());
      }
      if (oneLog) {
        throw new ParameterException(spec.commandLine(), g + " runs as instances " + listed.keySet()
            + ", each with a log of its own: name one with --instance");
      }
      return Optional.empty();
    }

    NodeId gatewayId(CommandSpec spec) {
      try {
        NodeId id = NodeId.parse(gateway);
        if (id.isDepartment()) {
          throw new ParameterException(spec.commandLine(), "--gateway must be national or prov-CC, not a department");
        }
        return id;
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--gateway: " + e.getMessage());
      }
    }

    ManagedChannel connect(CommandSpec spec, Transport transport) throws Exception {
      NodeId g = gatewayId(spec);
      NodeId me;
      try {
        me = as == null ? g : NodeId.parse(as);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--as: " + e.getMessage());
      }
      NodeCredentials creds = NodeCredentials.load(work.resolve("pki").resolve("nodes").resolve(me.fileName()));
      FederationFile.Directory dir = FederationFile.load(work.resolve("federation.yaml"));
      java.util.Map<String, InetSocketAddress> listed = dir.addresses().instances(g);
      if (listed.isEmpty()) {
        throw new IllegalStateException(g + " has no address in federation.yaml");
      }
      Optional<String> name = instanceName(spec, listed);
      connected = name.orElse(NodeAddresses.SOLE);
      List<InetSocketAddress> at = name.map(n -> List.of(listed.get(n))).orElse(List.copyOf(listed.values()));
      return transport.channelBuilder(at, TlsContexts.client(creds, g)).build();
    }

    /** Connects, runs {@code call} on the gateway's AuditService, and turns a refusal into exit code 1. */
    int call(CommandSpec spec, AuditCall call) throws Exception {
      try (Transport transport = Transport.create()) {
        ManagedChannel ch = connect(spec, transport);
        try {
          return call.run(AuditServiceGrpc.newBlockingStub(ch).withDeadlineAfter(60, TimeUnit.SECONDS));
        } catch (StatusRuntimeException e) {
          return refused(spec, e);
        } finally {
          ch.shutdownNow();
        }
      }
    }
  }

  /** One use of a gateway's AuditService; returns the exit code. */
  interface AuditCall {
    int run(AuditServiceGrpc.AuditServiceBlockingStub audit) throws Exception;
  }

  static int refused(CommandSpec spec, StatusRuntimeException e) {
    spec.commandLine().getErr().printf("refused: %s: %s%n", e.getStatus().getCode(), e.getStatus().getDescription());
    return 1;
  }

  static String line(AuditRecord r) {
    AuditEntry e = r.getDecoded();
    StringBuilder fields = new StringBuilder();
    for (var f : e.getFieldsList()) {
      fields.append(fields.length() == 0 ? "" : ",").append(f.getName());
      if (!f.getMask().isEmpty()) {
        fields.append(':').append(f.getMask());
      }
      if (f.getWithheld()) {
        fields.append("(withheld)");
      }
    }
    return String.format("%s %s#%d %s %s %s -> %s %s purpose=%s case=%s grant=%s fields=[%s] %s%s subject=%s",
        Instant.ofEpochSecond(e.getTime().getSeconds(), e.getTime().getNanos()),
        r.getLogNodeId() + (r.getLogInstance().isEmpty() ? "" : "@" + r.getLogInstance()), r.getIndex(),
        e.getSide().name().replace("_SIDE", "").toLowerCase(), e.getOperation(), e.getConsumerNodeId(),
        e.getProviderNodeId(), e.getResourceCode(), e.getPurposeCode(), e.getCaseReference(), e.getGrantId(), fields,
        e.getDecision(), e.getDecision() == Decision.PERMIT ? "" : " " + e.getStatus() + " (" + e.getReason() + ")",
        e.getSubjectPseudonym().isEmpty() ? "-" : e.getSubjectPseudonym().substring(0, 16) + "…");
  }

  /** Prints each record on its own line, then how many; exit code 0. */
  static int print(PrintWriter out, Iterator<AuditRecord> records) {
    long n = 0;
    while (records.hasNext()) {
      out.println(line(records.next()));
      n++;
    }
    out.println(n + " entries");
    return 0;
  }

  static Timestamp time(String iso) {
    Instant t = Instant.parse(iso);
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  static String pseudonym(Path work, String subject) throws Exception {
    return AuditKeyFile.pseudonyms(work.resolve("pki").resolve(AuditKeyFile.SUBJECT_KEY)).of(subject);
  }

  @Command(name = "query", mixinStandardHelpOptions = true,
      description = "List a gateway's audit entries matching every condition given, oldest first.",
      footer = {"", "Example:", "  sluice audit query --work work/demo --gateway prov-44 --decision DENY --limit 20"})
  static final class Query implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Target target;
    @Option(names = "--consumer") String consumer;
    @Option(names = "--provider") String provider;
    @Option(names = "--resource") String resource;
    @Option(names = "--purpose") String purpose;
    @Option(names = "--decision", description = "PERMIT, DENY or FAILED.") Decision decision;
    @Option(names = "--subject", description = "The subject's key; pseudonymised here with the federation's audit key.") String subject;
    @Option(names = "--request-id") String requestId;
    @Option(names = "--from", description = "ISO-8601 instant, e.g. 2026-11-29T00:00:00Z.") String from;
    @Option(names = "--to") String to;
    @Option(names = "--limit", defaultValue = "100", description = "At most this many (default ${DEFAULT-VALUE}; 0 for all).") long limit;

    @Override
    public Integer call() throws Exception {
      AuditQuery.Builder q = AuditQuery.newBuilder().setMaxRecords(limit).setPageSize(500);
      if (consumer != null) q.setConsumerNodeId(consumer);
      if (provider != null) q.setProviderNodeId(provider);
      if (resource != null) q.setResourceCode(resource);
      if (purpose != null) q.setPurposeCode(purpose);
      if (decision != null) q.setDecision(decision);
      if (requestId != null) q.setRequestId(requestId);
      if (subject != null) q.setSubjectPseudonym(pseudonym(target.work, subject));
      try {
        if (from != null) q.setFrom(time(from));
        if (to != null) q.setTo(time(to));
      } catch (java.time.format.DateTimeParseException e) {
        throw new ParameterException(spec.commandLine(), "--from/--to: " + e.getMessage());
      }
      PrintWriter out = spec.commandLine().getOut();
      return target.call(spec, audit -> {
        Iterator<AuditPage> pages = audit.queryEntries(q.build());
        return print(out, java.util.stream.StreamSupport.stream(
            java.util.Spliterators.spliteratorUnknownSize(pages, 0), false)
            .flatMap(p -> p.getRecordsList().stream()).iterator());
      });
    }
  }

  @Command(name = "checkpoint", mixinStandardHelpOptions = true,
      description = "Print a gateway's latest signed checkpoint (with the hub's cosignature once witnessed).")
  static final class CheckpointCmd implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Target target;

    @Override
    public Integer call() throws Exception {
      target.oneLog = true;
      return target.call(spec, audit -> {
        spec.commandLine().getOut().print(audit.getCheckpoint(GetCheckpointRequest.getDefaultInstance()).getNote());
        return 0;
      });
    }
  }

  @Command(name = "prove", mixinStandardHelpOptions = true,
      description = "Fetch entry N with its inclusion proof and the latest checkpoint, and check them here.",
      footer = {"", "Example:", "  sluice audit prove --work work/demo --gateway prov-44 --index 12"})
  static final class Prove implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Target target;
    @Option(names = "--index", required = true) long index;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      target.oneLog = true;
      return target.call(spec, stub -> {
        SignedNote note = SignedNote.parse(stub.getCheckpoint(GetCheckpointRequest.getDefaultInstance()).getNote());
        NodeId g = target.gatewayId(spec);
        LogName log = new LogName(g, target.connected);
        X509Certificate signer = PemFiles.readCertificates(
            target.work.resolve("pki").resolve("nodes").resolve(g.fileName()).resolve(NodeCredentials.SIGN_CERT)).get(0);
        note.verify(List.of(Sm2NoteKeys.verifier(log.origin(), signer.getPublicKey())));
        Checkpoint c = Checkpoint.parse(note.text());
        InclusionProof p = stub.getInclusionProof(
            InclusionProofRequest.newBuilder().setLeafIndex(index).setTreeSize(c.size()).build());
        TreeHash hash = p.getTreeHash().isEmpty() ? TreeHash.SM3 : TreeHash.valueOf(p.getTreeHash());
        boolean ok = MerkleProofs.verifyInclusion(hash, hash.leaf(p.getEntry().toByteArray()), index,
            c.size(), p.getHashesList().stream().map(ByteString::toByteArray).toList(), c.root());
        out.println(line(AuditRecord.newBuilder().setIndex(index).setLogNodeId(g.toString()).setLogInstance(log.instance())
            .setDecoded(AuditEntry.parseFrom(p.getEntry())).build()));
        out.printf("%s: entry %d is %sin the tree of %d entries signed by %s (%d proof hashes)%n",
            ok ? "OK" : "FAILED", index, ok ? "" : "NOT ", c.size(), log, p.getHashesCount());
        return ok ? 0 : 1;
      });
    }
  }

  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "Write a gateway's whole log up to its latest checkpoint, with every checkpoint and the keys"
          + " to check them, to a bundle file for `sluice audit verify`.",
      footer = {"", "Example:", "  sluice audit export --work work/demo --gateway prov-44 --out prov-44.audit"})
  static final class Export implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Target target;
    @Option(names = "--out", required = true) Path out;

    @Override
    public Integer call() throws Exception {
      Path hubCert = target.work.resolve("pki").resolve("nodes").resolve(NodeId.NATIONAL.fileName())
          .resolve(NodeCredentials.SIGN_CERT);
      target.oneLog = true;
      try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(out))) {
        return target.call(spec, audit -> {
          Iterator<ExportChunk> chunks = audit.withDeadlineAfter(1, TimeUnit.HOURS)
              .export(ExportRequest.getDefaultInstance());
          long records = 0;
          while (chunks.hasNext()) {
            ExportChunk c = chunks.next();
            if (c.hasHeader() && Files.exists(hubCert)) {
              var h = c.getHeader().toBuilder();
              SigningChains.encode(PemFiles.readCertificates(hubCert)).forEach(d -> h.addWitnessChain(ByteString.copyFrom(d)));
              c = ExportChunk.newBuilder().setHeader(h).build();
            }
            records += c.hasRecord() ? 1 : 0;
            c.writeDelimitedTo(file);
          }
          spec.commandLine().getOut().printf("wrote %d entries to %s%n", records, out);
          return 0;
        });
      }
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Check an exported bundle (or an archived segment, .bundle.gz) offline: every entry, every"
          + " checkpoint's signatures and root.",
      footer = {"", "Examples:", "  sluice audit verify --bundle prov-44.audit --trust work/demo/pki/ca/root.crt",
          "  sluice audit verify --trust work/demo/pki/ca/root.crt \\",
          "      --bundle work/demo/audit/prov-44/archive/entries-00000000000000000000-00000000000001234567.bundle.gz"})
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Option(names = "--bundle", required = true) Path bundle;
    @Option(names = "--trust", required = true, description = "The federation's root certificate(s), PEM.") Path trust;

    @Override
    public Integer call() throws Exception {
      List<X509Certificate> roots = PemFiles.readCertificates(trust);
      try (InputStream in = open(bundle)) {
        BundleVerifier.Report r = BundleVerifier.verify(in, roots, Instant.now());
        spec.commandLine().getOut().printf("OK: %s: %d entries%s, %d checkpoints (%d cosigned by the hub) verify%n",
            r.origin(), r.entries(), r.first() == 0 ? "" : " (" + r.first() + ".." + (r.end() - 1) + ")",
            r.checkpoints(), r.witnessed());
        return 0;
      } catch (BundleVerifier.Failure f) {
        spec.commandLine().getErr().println("FAILED: " + f.getMessage());
        return 1;
      }
    }

    /** The bundle's bytes, uncompressed when it is gzip (an archived segment). */
    private static InputStream open(Path file) throws java.io.IOException {
      InputStream in = new BufferedInputStream(Files.newInputStream(file));
      in.mark(2);
      boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
      in.reset();
      return gzip ? new java.util.zip.GZIPInputStream(in) : in;
    }
  }

  @Command(name = "subject-report", mixinStandardHelpOptions = true,
      description = "Every access to one person's records, across every gateway the hub knows (ask as national).",
      footer = {"", "Example:", "  sluice audit subject-report --work work/demo --gateway national --subject 440104199001010011"})
  static final class SubjectReport implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Target target;
    @Option(names = "--subject", required = true, description = "The subject's key; pseudonymised here with the audit key.") String subject;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      return target.call(spec, audit -> {
        Iterator<AuditRecord> it = audit.subjectReport(
            SubjectReportRequest.newBuilder().setSubjectPseudonym(pseudonym(target.work, subject)).build());
        return print(out, it);
      });
    }
  }
}
