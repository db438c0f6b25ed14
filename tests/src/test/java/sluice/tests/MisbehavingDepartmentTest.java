package sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.bench.CatalogRig;
import sluice.catalog.grant.AccessRequest;
import sluice.crypto.Sm2;
import sluice.crypto.pki.NodeCredentials;
import sluice.gateway.SluiceHeaders;
import sluice.gateway.client.ConsumerClient;
import sluice.gateway.identity.CallerIdentity;
import sluice.gateway.receipt.ReceiptSigner;
import sluice.gateway.receipt.RequestDigest;
import sluice.v1.Answer;
import sluice.v1.FieldValue;
import sluice.v1.MaskObligation;
import sluice.v1.QueryRequest;
import sluice.v1.QueryResponse;
import sluice.v1.RequestContext;
import sluice.v1.VerifyServiceGrpc;

/**
 * A department node that ignores its gateway's masking order (it sends the clear name under the
 * mask's label, and a field nobody asked for) still cannot get those values to the consumer: the
 * provider's gateway withholds them, and what passes is still proven by the department's receipt.
 */
class MisbehavingDepartmentTest {
  @TempDir Path work;

  /** Signs honestly, masks nothing. */
  static final class CarelessDepartment extends VerifyServiceGrpc.VerifyServiceImplBase {
    private final ReceiptSigner signer;

    CarelessDepartment(NodeCredentials credentials) {
      this.signer = new ReceiptSigner(credentials, Sm2.signer(credentials.signingKey()));
    }

    @Override
    public void query(QueryRequest request, StreamObserver<QueryResponse> out) {
      try {
        MaskObligation ordered = MaskObligation.parseFrom(CallerIdentity.header(SluiceHeaders.MASK_OBLIGATION).orElseThrow());
        List<FieldValue> fields = List.of(
            FieldValue.newBuilder().setName("name").setValue("张三丰").setMask("NAME_KEEP_SURNAME").build(),
            FieldValue.newBuilder().setName("enrolled").setValue("true").setMask("CLEAR").build(),
            FieldValue.newBuilder().setName("monthly_contribution_base").setValue("12000").setMask("CLEAR").build());
        out.onNext(QueryResponse.newBuilder()
            .setAnswer(Answer.TRUE)
            .addAllFields(fields)
            .setReceipt(signer.sign(RequestDigest.of(request), Answer.TRUE, Clock.systemUTC().instant(),
                request.getResourceCode(), sluice.crypto.NodeId.parse(ordered.getConsumerNodeId()), "",
                fields.stream().map(RequestDigest::of).toList()))
            .build());
        out.onCompleted();
      } catch (Exception e) {
        out.onError(e);
      }
    }
  }

  @Test
  void fieldsNotMaskedAsOrderedNeverReachTheConsumer() throws Exception {
    try (CatalogRig rig = new CatalogRig(work, Path.of("../docs/examples/catalogue-entry.yaml"), java.time.Duration.ofMillis(100));
        ConsumerClient client = rig.consumer(Fixtures.DEADLINE)) {
      AccessRequest r = rig.access.request(CatalogRig.CONSUMER, rig.entry.resourceCode(), List.of("name", "enrolled"),
          List.of("SOCIAL_ASSISTANCE_ELIGIBILITY"), "《社会救助暂行办法》第十一条", 30, 100, true, Map.of());
      rig.access.approve(r.id(), "张敏", "");
      rig.replaceProvider(new CarelessDepartment(rig.credentials(CatalogRig.PROVIDER)));
      QueryRequest q = QueryRequest.newBuilder()
          .setContext(RequestContext.newBuilder().setPurposeCode("SOCIAL_ASSISTANCE_ELIGIBILITY").setCaseReference("BJ-9"))
          .setResourceCode(rig.entry.resourceCode())
          .setSubjectKey(rig.subject)
          .addFields("name")
          .addFields("enrolled")
          .build();
      long deadline = System.nanoTime() + 15_000_000_000L;
      ConsumerClient.Queried got = null;
      while (got == null) {
        try {
          got = client.query(q);
        } catch (io.grpc.StatusRuntimeException e) {
          if (System.nanoTime() > deadline) {
            throw e;
          }
          Thread.sleep(20);
        }
      }
      assertEquals(List.of("enrolled=true"),
          got.response().getFieldsList().stream().map(f -> f.getName() + "=" + f.getValue()).toList(),
          "the clear name and the field nobody asked for are withheld; the rest is proven by the receipt");

      // The provider's gateway recorded what it withheld, and why.
      sluice.gateway.Gateway gd = rig.gateway(CatalogRig.GD);
      org.junit.jupiter.api.Assertions.assertTrue(gd.auditIndex().awaitIndexed(gd.auditLog().size(), 10_000));
      sluice.v1.AuditEntry entry = gd.auditIndex().query(new sluice.gateway.audit.AuditIndex.Filter(
          0, 0, "", "", "", "", "", "", got.response().getRequestId()), sluice.gateway.audit.AuditIndex.Cursor.START, 10).get(0).getDecoded();
      assertEquals(List.of(
              "name:NAME_KEEP_SURNAME withheld=true (does not have the shape of NAME_KEEP_SURNAME)",
              "enrolled:CLEAR withheld=false ()",
              "monthly_contribution_base: withheld=true (was not asked for)"),
          entry.getFieldsList().stream().map(f -> f.getName() + ":" + f.getMask() + " withheld=" + f.getWithheld()
              + " (" + f.getWithheldReason() + ")").toList());
    }
  }
}
