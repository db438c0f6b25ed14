package sluice.nodes.cli;

import static sluice.nodes.cli.Questions.all;
import static sluice.nodes.cli.Questions.bool;
import static sluice.nodes.cli.Questions.cmp;
import static sluice.nodes.cli.Questions.date;
import static sluice.nodes.cli.Questions.decimal;
import static sluice.nodes.cli.Questions.integer;
import static sluice.nodes.cli.Questions.str;

import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import sluice.crypto.NodeId;
import sluice.gateway.NodeChannels;
import sluice.gateway.client.BatchResult;
import sluice.gateway.client.ConsumerClient;
import sluice.gateway.receipt.InvalidReceiptException;
import sluice.nodes.data.CsvTables;
import sluice.nodes.run.FederationSetup;
import sluice.nodes.run.LocalFederation;
import sluice.nodes.synth.GeneratedResource;
import java.util.Iterator;
import sluice.gateway.audit.AuditKeyFile;
import sluice.v1.AccessRequestView;
import sluice.v1.AuditRecord;
import sluice.v1.AuditServiceGrpc;
import sluice.v1.SubjectReportRequest;
import sluice.v1.BatchHeader;
import sluice.v1.BatchItem;
import sluice.v1.CatalogServiceGrpc;
import sluice.v1.DecideAccessRequest;
import sluice.v1.FieldValue;
import sluice.v1.Operator;
import sluice.v1.QueryRequest;
import sluice.v1.ReceiptBody;
import sluice.v1.RequestAccessRequest;
import sluice.v1.RequestContext;
import sluice.v1.RevokeGrantRequest;
import sluice.v1.VerifyRequest;

/** The demo's sample questions: same-province, cross-province, refusals and a batch. */
final class DemoScenarios {
  /** The grants the demo's stewards approved; everything else conditional is refused. */
  static final List<FederationSetup.DemoGrant> GRANTS =
      List.of(
          new FederationSetup.DemoGrant(
              NodeId.parse("prov-44/dept-ca"), "3-44-001-001-000001", List.of("status", "birth_date"),
              "SOCIAL_ASSISTANCE_ELIGIBILITY"),
          new FederationSetup.DemoGrant(
              NodeId.parse("prov-11/dept-ca"), "3-44-002-001-000001",
              List.of("enrolled", "status", "monthly_contribution_base"), "SOCIAL_ASSISTANCE_ELIGIBILITY"),
          new FederationSetup.DemoGrant(
              NodeId.parse("prov-11/dept-psb"), "3-44-002-001-000001", List.of("enrolled"),
              "SOCIAL_ASSISTANCE_ELIGIBILITY"),
          new FederationSetup.DemoGrant(
              NodeId.parse("prov-11/dept-ca"), "3-11-002-001-000001", List.of("enrolled", "monthly_contribution_base"),
              "SOCIAL_ASSISTANCE_ELIGIBILITY"),
          new FederationSetup.DemoGrant(
              NodeId.parse("prov-11/dept-ca"), "3-31-002-001-000001", List.of("enrolled", "monthly_contribution_base"),
              "SOCIAL_ASSISTANCE_ELIGIBILITY"));

  private final LocalFederation federation;
  private final PrintWriter out;
  private int n;

  DemoScenarios(LocalFederation federation, PrintWriter out) {
    this.federation = federation;
    this.out = out;
  }

  void run() throws Exception {
    NodeId gdCivil = NodeId.parse("prov-44/dept-ca");
    NodeId bjCivil = NodeId.parse("prov-11/dept-ca");
    NodeId shTax = NodeId.parse("prov-31/dept-tax");

    Row resident = firstRow("3-44-001-001-000001", r -> r.get("status").equals("ACTIVE"));
    ask(
        gdCivil,
        "Same province: Guangdong civil affairs checks a dibao applicant's household registration",
        request("3-44-001-001-000001", resident.get("id_number"), "SOCIAL_ASSISTANCE_ELIGIBILITY", "GD-MZ-2026-0417",
            all(cmp("status", Operator.EQ, str("ACTIVE")), cmp("birth_date", Operator.LE, date("2008-11-28")))));

    Row migrant =
        firstRow(
            "3-44-002-001-000001",
            r -> !r.get("id_number").startsWith("44") && r.get("enrolled").equals("true"));
    ask(
        bjCivil,
        "Across provinces: Beijing civil affairs asks whether a resident works and pays social insurance in Guangdong",
        request("3-44-002-001-000001", migrant.get("id_number"), "SOCIAL_ASSISTANCE_ELIGIBILITY", "BJ-MZ-2026-1033",
            all(cmp("enrolled", Operator.EQ, bool(true)), cmp("status", Operator.EQ, str("ACTIVE")),
                cmp("monthly_contribution_base", Operator.GE, integer(8000)))));

    Set<String> insuredInGd = keys("3-44-002-001-000001", "id_number");
    Row bjOnly = firstRow("3-11-001-001-000001", r -> !insuredInGd.contains(r.get("id_number")));
    ask(
        bjCivil,
        "Across provinces: the same question about a Beijing resident Guangdong has never insured",
        request("3-44-002-001-000001", bjOnly.get("id_number"), "SOCIAL_ASSISTANCE_ELIGIBILITY", "BJ-MZ-2026-1034",
            cmp("enrolled", Operator.EQ, bool(true))));

    Row company = firstRow("3-44-003-001-000001", r -> true);
    ask(
        shTax,
        "Across provinces: Shanghai tax checks a Guangdong supplier's business licence",
        request("3-44-003-001-000001", company.get("uscc"), "TAX_ADMINISTRATION", "SH-SW-2026-0088",
            all(cmp("status", Operator.EQ, str("ACTIVE")), cmp("registered_capital", Operator.GE, decimal("100.00")))));

    ask(
        bjCivil,
        "Refused: a predicate on a field the resource does not have",
        request("3-44-002-001-000001", migrant.get("id_number"), "SOCIAL_ASSISTANCE_ELIGIBILITY", "BJ-MZ-2026-1035",
            cmp("salary", Operator.GT, integer(10000))));
    Row taxpayer = firstRow("3-44-004-001-000001", r -> true);
    ask(
        bjCivil,
        "Refused: Beijing civil affairs has no grant for Guangdong's tax records",
        request("3-44-004-001-000001", taxpayer.get("uscc"), "SOCIAL_ASSISTANCE_ELIGIBILITY", "BJ-MZ-2026-1037",
            cmp("credit_rating", Operator.IN, str("A"), str("B"))));
    stewardship(
        bjCivil,
        NodeId.parse("prov-44/dept-tax"),
        request("3-44-004-001-000001", taxpayer.get("uscc"), "SOCIAL_ASSISTANCE_ELIGIBILITY", "BJ-MZ-2026-1037",
            cmp("credit_rating", Operator.IN, str("A"), str("B"))));
    twoViews(
        NodeId.parse("prov-44/dept-psb"),
        resident,
        new Reader(gdCivil, Map.of("id_number", "PSEUDONYM", "birth_date", "DATE_TO_MONTH"), "GD-MZ-2026-0418"),
        new Reader(bjCivil, Map.of("id_number", "ID_KEEP_6_4"), "BJ-MZ-2026-1038"));
    ask(
        bjCivil,
        "Refused: a resource nobody registered",
        request("3-44-002-009-000001", migrant.get("id_number"), "SOCIAL_ASSISTANCE_ELIGIBILITY", "BJ-MZ-2026-1036",
            cmp("enrolled", Operator.EXISTS)));

    batch(bjCivil, insuredInGd);
    intersect(NodeId.parse("prov-11/dept-psb"), insuredInGd);
    aggregate(bjCivil);
    audit(migrant.get("id_number"));
  }

  /** An auditor's view: every access to one person across all gateways, and a witnessed checkpoint. */
  private void audit(String subject) throws Exception {
    out.printf("%n[%d] Audit: every access to the Beijing resident asked about in Guangdong, across all 33 gateways%n", ++n);
    Path work = federation.layout().workDir();
    String pseudonym = AuditKeyFile.pseudonyms(federation.layout().auditKey()).of(subject);
    NodeChannels hub = federation.channelsAs(NodeId.NATIONAL);
    try {
      Iterator<AuditRecord> report = AuditServiceGrpc.newBlockingStub(hub.to(NodeId.NATIONAL))
          .withDeadlineAfter(30, java.util.concurrent.TimeUnit.SECONDS)
          .subjectReport(SubjectReportRequest.newBuilder().setSubjectPseudonym(pseudonym).build());
      int shown = 0;
      while (report.hasNext()) {
        AuditRecord r = report.next();
        var e = r.getDecoded();
        if (shown++ < 12) {
          out.printf("    %-8s #%-4d %-8s %-10s %s -> %s  purpose %s  case %s  %s%s%n", r.getLogNodeId(), r.getIndex(),
              e.getSide().name().replace("_SIDE", "").toLowerCase(), e.getOperation(), e.getConsumerNodeId(),
              e.getResourceCode(), e.getPurposeCode(), e.getCaseReference(), e.getDecision(),
              e.getDecision() == sluice.v1.Decision.PERMIT ? "" : " (" + e.getStatus() + ")");
        }
      }
      out.printf("    %d entries; subject recorded as HMAC-SM3 pseudonym %s…, never the ID itself%n", shown,
          pseudonym.substring(0, 16));
      // Checkpoints are signed every second and witnessed by the hub; wait for one that covers these.
      long until = System.nanoTime() + 10_000_000_000L;
      String note = "";
      while (System.nanoTime() < until && !note.contains("sluice.witness/national")) {
        note = AuditServiceGrpc.newBlockingStub(hub.to(NodeId.parse("prov-44")))
            .withDeadlineAfter(5, java.util.concurrent.TimeUnit.SECONDS)
            .getCheckpoint(sluice.v1.GetCheckpointRequest.getDefaultInstance()).getNote();
        Thread.sleep(200);
      }
      out.println("    prov-44's latest checkpoint, signed by prov-44 (SM2, Ed25519) and cosigned by the hub:");
      for (String line : note.split("\n")) {
        out.println("      " + (line.length() > 90 ? line.substring(0, 90) + "…" : line));
      }
      out.println("    check it offline: sluice audit export --work " + work + " --gateway prov-44 --out prov-44.audit");
      out.println("                      sluice audit verify --bundle prov-44.audit --trust " + work.resolve("pki/ca/root.crt"));
    } catch (io.grpc.StatusRuntimeException e) {
      out.println("    audit unavailable: " + e.getStatus().getCode() + ": " + e.getStatus().getDescription());
    } finally {
      hub.close();
    }
  }

  private void ask(NodeId consumer, String title, VerifyRequest request) throws IOException {
    n++;
    out.printf("[%d] %s%n", n, title);
    out.printf(
        "    %s -> %s   purpose %s, case %s%n",
        consumer, request.getResourceCode(), request.getContext().getPurposeCode(),
        request.getContext().getCaseReference());
    out.printf(
        "    Q: for subject %s: %s ?%n",
        Questions.maskId(request.getSubjectKey()), Questions.render(request.getPredicate()));
    try (ConsumerClient client = federation.consumer(consumer, DemoCommand.deadline())) {
      long t = System.nanoTime();
      ConsumerClient.Verified v = client.verify(request);
      double ms = (System.nanoTime() - t) / 1e6;
      ReceiptBody r = v.receipt();
      out.printf("    A: %s%n", v.response().getAnswer());
      out.printf(
          "       receipt signed by %s (%s), verified against the federation root; path %s; %.1f ms%n%n",
          r.getNodeId(), v.response().getReceipt().getAlgorithm(), path(consumer, request.getResourceCode()), ms);
    } catch (StatusRuntimeException e) {
      out.printf(
          "    A: refused, %s: %s%n%n", e.getStatus().getCode(), e.getStatus().getDescription());
    } catch (InvalidReceiptException e) {
      out.printf("    A: answer NOT trusted: %s%n%n", e.getMessage());
    }
  }

  /**
   * The access cycle through CatalogService, live: the consumer files a request at its own
   * gateway, the provider's steward approves it at theirs, the question is answered once every
   * gateway on the path holds the new snapshot, and refused again after the steward revokes.
   */
  private void stewardship(NodeId consumer, NodeId provider, VerifyRequest question) throws Exception {
    n++;
    out.printf("[%d] Stewardship: %s requests access, %s's steward approves, then revokes%n", n, consumer, provider);
    try (NodeChannels asConsumer = federation.channelsAs(consumer);
        NodeChannels asProvider = federation.channelsAs(provider);
        ConsumerClient client = federation.consumer(consumer, DemoCommand.deadline())) {
      CatalogServiceGrpc.CatalogServiceBlockingStub consumerDesk = steward(asConsumer, consumer);
      CatalogServiceGrpc.CatalogServiceBlockingStub providerDesk = steward(asProvider, provider);
      AccessRequestView filed =
          consumerDesk.requestAccess(
              RequestAccessRequest.newBuilder()
                  .setResourceCode(question.getResourceCode())
                  .addFields("credit_rating")
                  .addPurposes(question.getContext().getPurposeCode())
                  .setLegalBasis("《社会救助暂行办法》第十一条")
                  .setDurationDays(30)
                  .setExpectedDailyVolume(200)
                  .build());
      out.printf("    %s files %s at %s: fields %s, purpose %s, 30 days, 200 subjects/day%n",
          consumer, filed.getRequestId(), consumer.gateway().orElseThrow(), filed.getFieldsList(),
          question.getContext().getPurposeCode());
      AccessRequestView approved =
          providerDesk.decideAccess(
              DecideAccessRequest.newBuilder().setRequestId(filed.getRequestId()).setApprove(true)
                  .setSteward("陈静").setReason("低保复核，依法可用").build());
      long t0 = System.nanoTime();
      out.printf("    %s approves at %s: grant %s%n", approved.getDecidedBy(), provider.gateway().orElseThrow(),
          approved.getGrantId());
      String answered = until(client, question, o -> !o.startsWith("PERMISSION_DENIED"));
      out.printf("    Q: for subject %s: %s ?%n", Questions.maskId(question.getSubjectKey()),
          Questions.render(question.getPredicate()));
      out.printf("    A: %s  (%.0f ms after the approval)%n", answered, (System.nanoTime() - t0) / 1e6);
      providerDesk.revokeGrant(
          RevokeGrantRequest.newBuilder().setGrantId(approved.getGrantId()).setReason("复核结束").build());
      long t1 = System.nanoTime();
      String refused = until(client, question, o -> o.startsWith("PERMISSION_DENIED"));
      out.printf("    revoked; the same question: refused, %s  (%.0f ms after the revocation)%n%n",
          refused, (System.nanoTime() - t1) / 1e6);
    }
  }

  /** A consumer reading with Query, and the masks its grant asks for in place of the defaults. */
  private record Reader(NodeId consumer, Map<String, String> masks, String caseReference) {}

  /**
   * The same record read by two consumers under different grants: each files a Query request
   * with its own masks, the provider's steward approves both, and each reads what its grant lets
   * out; keyed pseudonyms differ between them.
   */
  private void twoViews(NodeId provider, Row resident, Reader... readers) throws Exception {
    n++;
    String code = "3-44-001-001-000001";
    List<String> fields = List.of("id_number", "name", "birth_date", "address");
    out.printf("[%d] Query: one Guangdong resident's household record as two consumers read it%n", n);
    out.printf("    %s %s; fields %s, each masked inside %s as its grant orders%n",
        code, Questions.maskId(resident.get("id_number")), fields, provider);
    try (NodeChannels asProvider = federation.channelsAs(provider)) {
      CatalogServiceGrpc.CatalogServiceBlockingStub providerDesk = steward(asProvider, provider);
      for (Reader reader : readers) {
        try (NodeChannels asConsumer = federation.channelsAs(reader.consumer());
            ConsumerClient client = federation.consumer(reader.consumer(), DemoCommand.deadline())) {
          AccessRequestView filed =
              steward(asConsumer, reader.consumer())
                  .requestAccess(
                      RequestAccessRequest.newBuilder()
                          .setResourceCode(code)
                          .addAllFields(fields)
                          .addPurposes("SOCIAL_ASSISTANCE_ELIGIBILITY")
                          .setLegalBasis("《社会救助暂行办法》第十一条")
                          .setDurationDays(30)
                          .setExpectedDailyVolume(50)
                          .setQuery(true)
                          .putAllMasks(reader.masks())
                          .build());
          providerDesk.decideAccess(
              DecideAccessRequest.newBuilder().setRequestId(filed.getRequestId()).setApprove(true)
                  .setSteward("王磊").setReason("核查低保家庭户籍").build());
          QueryRequest query =
              QueryRequest.newBuilder()
                  .setContext(context("SOCIAL_ASSISTANCE_ELIGIBILITY", reader.caseReference()))
                  .setResourceCode(code)
                  .setSubjectKey(resident.get("id_number"))
                  .addAllFields(fields)
                  .build();
          out.printf("    %s (grant asks %s):%n", reader.consumer(), new java.util.TreeMap<>(reader.masks()));
          String answered = untilRead(client, query);
          out.print(answered);
        }
      }
    }
    out.println();
  }

  /** Reads once the new grant has reached the gateways (up to 10 s); the fields, or the refusal. */
  private static String untilRead(ConsumerClient client, QueryRequest query) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    String last = "";
    do {
      try {
        ConsumerClient.Queried q = client.query(query);
        StringBuilder b = new StringBuilder();
        for (FieldValue f : q.response().getFieldsList()) {
          b.append(String.format("      %-12s %-34s %s%n", f.getName(), f.getValue(), f.getMask()));
        }
        b.append(String.format("      receipt signed by %s covers %d fields; verified%n",
            q.receipt().getNodeId(), q.receipt().getFieldDigestsCount()));
        return b.toString();
      } catch (StatusRuntimeException e) {
        last = "      refused, " + e.getStatus().getCode() + ": " + e.getStatus().getDescription() + "\n";
      }
      Thread.sleep(10);
    } while (System.nanoTime() < deadline);
    return last;
  }

  private static CatalogServiceGrpc.CatalogServiceBlockingStub steward(NodeChannels channels, NodeId department) {
    return CatalogServiceGrpc.newBlockingStub(channels.to(department.gateway().orElseThrow()))
        .withDeadlineAfter(DemoCommand.deadline().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** Asks until the outcome ("TRUE", "PERMISSION_DENIED: reason") satisfies {@code done}, for up to 10 s. */
  private static String until(ConsumerClient client, VerifyRequest question, Predicate<String> done) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    String last;
    do {
      try {
        last = client.verify(question).response().getAnswer().name();
      } catch (StatusRuntimeException e) {
        last = e.getStatus().getCode() + ": " + e.getStatus().getDescription();
      }
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(10);
    } while (System.nanoTime() < deadline);
    return last + " (still, after 10 s)";
  }

  private void batch(NodeId consumer, Set<String> insuredInGd) throws Exception {
    n++;
    List<String> subjects = new ArrayList<>();
    subjects.addAll(keys("3-11-001-001-000001", "id_number"));
    subjects.addAll(insuredInGd);
    out.printf(
        "[%d] Batch across provinces: Beijing civil affairs screens %d people against Guangdong social insurance%n",
        n, subjects.size());
    out.println("    BatchVerify stream, one question per subject: enrolled = true and status = \"ACTIVE\"");
    BatchHeader header =
        BatchHeader.newBuilder()
            .setContext(context("SOCIAL_ASSISTANCE_ELIGIBILITY", "BJ-MZ-2026-2000"))
            .setResourceCode("3-44-002-001-000001")
            .build();
    List<BatchItem> items = new ArrayList<>();
    long seq = 0;
    for (String s : subjects) {
      items.add(
          BatchItem.newBuilder()
              .setSeq(seq++)
              .setSubjectKey(s)
              .setPredicate(all(cmp("enrolled", Operator.EQ, bool(true)), cmp("status", Operator.EQ, str("ACTIVE"))))
              .build());
    }
    try (ConsumerClient client = federation.consumer(consumer, DemoCommand.deadline())) {
      long t = System.nanoTime();
      BatchResult result = client.batchVerify(header, items);
      double s = (System.nanoTime() - t) / 1e9;
      Map<String, Long> tally = result.tally();
      out.printf("    A: %s%n", tally);
      out.printf(
          "       %d answers, %d receipts verified, %.2f s (%.0f subjects/s)%n",
          result.responses().size(), result.receiptsVerified(), s, result.responses().size() / s);
    }
    out.println();
    out.println("No record left a department node: every answer above is TRUE, FALSE or NO_RECORD");
    out.println("with a receipt the answering department signed (SM2 with SM3).");
  }

  /**
   * ECDH-PSI across provinces: which of Beijing's registered residents Guangdong insures, then
   * only how many, each checked against the plain intersection the demo can compute from its data.
   */
  private void intersect(NodeId consumer, Set<String> insuredInGd) throws Exception {
    n++;
    List<String> recipients = new ArrayList<>(keys("3-11-001-001-000001", "id_number"));
    Set<String> plain = new LinkedHashSet<>(recipients);
    plain.retainAll(insuredInGd);
    out.printf("[%d] Private set intersection: which of Beijing's %d registered residents does Guangdong insure?%n",
        n, recipients.size());
    out.println("    path " + path(consumer, "3-44-002-001-000001"));
    out.println("    ECDH-PSI: only hashed, masked points cross the wire; Guangdong learns only how many Beijing sent;");
    out.println("    every element counts as one subject against Beijing public security's grant");
    int cores = Runtime.getRuntime().availableProcessors();
    java.util.concurrent.ExecutorService work = java.util.concurrent.Executors.newFixedThreadPool(cores,
        sluice.gateway.Transport.daemonThreads("sluice-demo-psi"));
    try (ConsumerClient client = federation.consumer(consumer, DemoCommand.deadline())) {
      for (var run : List.of(
          new Object[] {sluice.crypto.psi.PsiSuite.SM2_SM3_SSWU, sluice.v1.PsiMode.INTERSECTION, "BJ-MZ-2026-3000"},
          new Object[] {sluice.crypto.psi.PsiSuite.X25519_SHA256, sluice.v1.PsiMode.CARDINALITY, "BJ-MZ-2026-3001"})) {
        sluice.crypto.psi.PsiSuite suite = (sluice.crypto.psi.PsiSuite) run[0];
        sluice.v1.PsiMode mode = (sluice.v1.PsiMode) run[1];
        long t = System.nanoTime();
        sluice.gateway.client.PsiReceiver.Result r = client.intersect(
            new sluice.gateway.client.PsiReceiver.Request(context("SOCIAL_ASSISTANCE_ELIGIBILITY", (String) run[2]),
                "3-44-002-001-000001", "3-11-001-001-000001", suite, mode),
            recipients, work, cores, null);
        out.printf("    %s, %s: %d in common (Guangdong's set: %d keys); %.2f s; the plain intersection has %d%s%n",
            suite.id(), mode.name().toLowerCase(java.util.Locale.ROOT), r.size(), r.senderSetSize(),
            (System.nanoTime() - t) / 1e9, plain.size(), r.size() == plain.size() ? " (equal)" : " (DIFFERENT)");
        if (mode == sluice.v1.PsiMode.INTERSECTION && !r.intersection().isEmpty()) {
          out.printf("      e.g. %s%n", r.intersection().get(0));
        }
      }
      // Private membership: one resident at a time, the subject never leaving Beijing, even hashed.
      var checker = client.membership(context("SOCIAL_ASSISTANCE_ELIGIBILITY", "BJ-MZ-2026-3002"), "3-44-002-001-000001",
          sluice.crypto.psi.PsiSuite.SM2_SM3_SSWU);
      // The demo knows from its data whom Guangdong insures; a consumer would not.
      String member = plain.isEmpty() ? insuredInGd.iterator().next() : plain.iterator().next();
      String stranger = recipients.stream().filter(x -> !plain.contains(x)).findFirst().orElse(recipients.get(0));
      out.printf("    private membership (OPRF, SM2): %s %s, %s %s; Guangdong's table of %d keyed tags was fetched once,%n",
          member, checker.contains(member) ? "is insured" : "is NOT insured", stranger,
          checker.contains(stranger) ? "is insured" : "is not insured", checker.tableSize());
      out.println("      each check is one blinded point; neither Guangdong nor any gateway learns who was asked about");
    } catch (io.grpc.StatusRuntimeException e) {
      out.printf("    refused, %s: %s%n", e.getStatus().getCode(), e.getStatus().getDescription());
    } finally {
      work.shutdownNow();
    }
    out.println();
  }

  /**
   * Secure aggregation over three provinces' social insurance: the total enrolled and their
   * contribution bases, with Chongqing (no grant) asked too and left out by a clean retry.
   */
  private void aggregate(NodeId consumer) throws Exception {
    n++;
    List<String> codes = List.of("3-11-002-001-000001", "3-31-002-001-000001", "3-44-002-001-000001", "3-50-002-001-000001");
    out.printf("[%d] Secure aggregation: how many are enrolled in social insurance in Beijing, Shanghai, Guangdong%n", n);
    out.println("    and Chongqing together, and their total monthly contribution base? The hub learns only the total;");
    out.println("    each province's figures leave its department masked with pairwise masks that cancel only in the sum.");
    long[] plain = new long[2];
    for (String code : codes.subList(0, 3)) {
      CsvTables.CsvTable t = CsvTables.read(csv(code));
      int enrolled = t.header().indexOf("enrolled");
      int base = t.header().indexOf("monthly_contribution_base");
      for (List<String> row : t.rows()) {
        if (row.get(enrolled).equals("true")) {
          plain[0]++;
          plain[1] += row.get(base).isEmpty() ? 0 : Long.parseLong(row.get(base));
        }
      }
    }
    try (ConsumerClient client = federation.consumer(consumer, DemoCommand.deadline())) {
      long t = System.nanoTime();
      sluice.v1.AggregateResponse r = client.aggregate(sluice.v1.AggregateRequest.newBuilder()
          .setContext(context("SOCIAL_ASSISTANCE_ELIGIBILITY", "BJ-MZ-2026-4000"))
          .addAllResourceCodes(codes)
          .setPredicate(cmp("enrolled", Operator.EQ, bool(true)))
          .setSumField("monthly_contribution_base")
          .build());
      out.printf("    A: count %d, sum %d (%s), %.2f s, %d session(s)%n", r.getCount(), r.getSum(),
          r.getCount() == plain[0] && r.getSum() == plain[1] ? "equal to the plain total of the three provinces that took part"
              : "DIFFERENT from the plain total " + plain[0] + ", " + plain[1],
          (System.nanoTime() - t) / 1e9, r.getAttempts());
      out.printf("       participants %s%n", r.getParticipantsList());
      r.getDroppedList().forEach(d -> out.printf("       left out: %s%n", d));
    } catch (io.grpc.StatusRuntimeException e) {
      out.printf("    refused, %s: %s%n", e.getStatus().getCode(), e.getStatus().getDescription());
    }
    out.println();
  }

  private String path(NodeId consumer, String resourceCode) {
    NodeId provider =
        federation.layout().data().resource(resourceCode).orElseThrow().descriptor().provider();
    NodeId from = consumer.gateway().orElseThrow();
    NodeId to = provider.gateway().orElseThrow();
    return from.equals(to)
        ? consumer + " > " + from + " > " + provider
        : consumer + " > " + from + " > national > " + to + " > " + provider;
  }

  private static VerifyRequest request(
      String resource, String subject, String purpose, String caseRef, sluice.v1.Predicate p) {
    return VerifyRequest.newBuilder()
        .setContext(context(purpose, caseRef))
        .setResourceCode(resource)
        .setSubjectKey(subject)
        .setPredicate(p)
        .build();
  }

  private static RequestContext context(String purpose, String caseRef) {
    return RequestContext.newBuilder().setPurposeCode(purpose).setCaseReference(caseRef).build();
  }

  /** One CSV row by column name; the demo reads data only to pick realistic subjects. */
  private record Row(List<String> header, List<String> values) {
    String get(String column) {
      return values.get(header.indexOf(column));
    }
  }

  private Row firstRow(String resource, Predicate<Row> filter) throws IOException {
    CsvTables.CsvTable t = CsvTables.read(csv(resource));
    for (List<String> values : t.rows()) {
      Row r = new Row(t.header(), values);
      if (filter.test(r)) {
        return r;
      }
    }
    throw new IllegalStateException("no suitable subject in " + resource);
  }

  private Set<String> keys(String resource, String column) throws IOException {
    CsvTables.CsvTable t = CsvTables.read(csv(resource));
    int i = t.header().indexOf(column);
    Set<String> out = new LinkedHashSet<>();
    for (List<String> values : t.rows()) {
      out.add(values.get(i));
    }
    return out;
  }

  private Path csv(String resource) {
    GeneratedResource r = federation.layout().data().resource(resource).orElseThrow();
    return r.csvFile();
  }
}
