package sluice.bench;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import sluice.catalog.entry.Mask;
import sluice.catalog.grant.AccessRequest;
import sluice.catalog.grant.Grant;
import sluice.crypto.NodeId;
import sluice.crypto.pki.TlsContexts;
import sluice.gateway.SluiceHeaders;
import sluice.v1.FieldObligation;
import sluice.v1.MaskObligation;
import sluice.v1.VerifyServiceGrpc;

/**
 * The federation the load benches share: a {@link CatalogRig} whose entry has no daily cap the
 * benches could reach, Query grants for a consumer in the provider's province ({@code prov-44})
 * and one across provinces ({@code prov-11}), and a channel for each way to the department:
 * straight to it (as its gateway), through {@code prov-44}, through {@code prov-11}.
 */
final class LoadRig implements AutoCloseable {
  static final NodeId LOCAL_CONSUMER = NodeId.parse("prov-44/dept-ca");

  final CatalogRig rig;
  /** The local consumer's grant. */
  final Grant local;
  final List<String> subjects;
  final ManagedChannel toDepartment;
  final ManagedChannel toGd;
  final ManagedChannel toBj;

  LoadRig(Path work) throws Exception {
    this(work, csv -> csv);
  }

  /** @param providerData given the provider's generated CSV, the CSV it serves instead */
  LoadRig(Path work, java.util.function.UnaryOperator<Path> providerData) throws Exception {
    Path entry = work.resolve("entry.yaml");
    try (var in = LoadRig.class.getResourceAsStream("/bench/catalogue-entry.yaml")) {
      // The benches' grants need more than the entry's 100,000 calls a day.
      Files.writeString(entry, new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replace("rowCap: 100000", "rowCap: 1000000000"));
    }
    rig = new CatalogRig(work.resolve("federation"), entry, Duration.ofMillis(200),
        sluice.gateway.audit.AuditLogSettings.defaults(), providerData);
    local = grant(LOCAL_CONSUMER);
    grant(CatalogRig.CONSUMER);
    subjects = rig.layout.data().resource(rig.entry.resourceCode()).orElseThrow().sampleKeys();
    toDepartment = rig.transport.channelBuilder(rig.layout.addresses().get(CatalogRig.PROVIDER),
        TlsContexts.client(rig.credentials(CatalogRig.GD), CatalogRig.PROVIDER)).build();
    toGd = rig.transport.channelBuilder(rig.layout.addresses().get(CatalogRig.GD),
        TlsContexts.client(rig.credentials(LOCAL_CONSUMER), CatalogRig.GD)).build();
    toBj = rig.transport.channelBuilder(rig.layout.addresses().get(CatalogRig.BJ),
        TlsContexts.client(rig.credentials(CatalogRig.CONSUMER), CatalogRig.BJ)).build();
  }

  private Grant grant(NodeId consumer) throws Exception {
    AccessRequest req = rig.access.request(consumer, rig.entry.resourceCode(),
        List.of("id_number", "name", "enrolled"), List.of("SOCIAL_ASSISTANCE_ELIGIBILITY"), "bench", 30,
        1_000_000_000L, true, Map.of("id_number", Mask.PSEUDONYM));
    return rig.access.approve(req.id(), "bench", "");
  }

  /**
   * A stub carrying what {@code prov-44} adds to what it forwards to the department: the local
   * consumer's name and, for Query, the mask each field leaves under.
   */
  VerifyServiceGrpc.VerifyServiceStub asGateway(ManagedChannel channel) {
    Metadata headers = new Metadata();
    headers.put(SluiceHeaders.CONSUMER, LOCAL_CONSUMER.toString());
    headers.put(SluiceHeaders.REQUEST_ID, "bench");
    headers.put(SluiceHeaders.MASK_OBLIGATION, MaskObligation.newBuilder()
        .setConsumerNodeId(LOCAL_CONSUMER.toString()).setGrantId(local.id())
        .addFields(FieldObligation.newBuilder().setName("id_number").setMask("PSEUDONYM").setSemanticType("CN_ID_CARD"))
        .addFields(FieldObligation.newBuilder().setName("name").setMask("NAME_KEEP_SURNAME").setSemanticType("CN_NAME"))
        .addFields(FieldObligation.newBuilder().setName("enrolled").setMask("CLEAR").setSemanticType("FLAG"))
        .build().toByteArray());
    return VerifyServiceGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  @Override
  public void close() throws Exception {
    for (ManagedChannel c : List.of(toDepartment, toGd, toBj)) {
      c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    rig.close();
  }
}
