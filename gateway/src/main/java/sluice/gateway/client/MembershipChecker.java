package sluice.gateway.client;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import sluice.crypto.psi.InvalidPointException;
import sluice.crypto.psi.PsiGroup;
import sluice.crypto.psi.PsiKey;
import sluice.crypto.psi.PsiSuite;
import sluice.crypto.psi.TagTable;
import sluice.v1.MembershipRequest;
import sluice.v1.MembershipResponse;
import sluice.v1.MembershipTablePage;
import sluice.v1.MembershipTableRequest;
import sluice.v1.PsiServiceGrpc;
import sluice.v1.RequestContext;

/**
 * Private membership checks against one resource, as a consumer department runs them: the table
 * of the provider's keyed tags is downloaded once (page by page), then each subject is hashed,
 * blinded with a fresh key, evaluated by the provider's department through the gateways,
 * unblinded here and looked up. The subject never leaves this machine, even hashed. When the
 * provider has made a new key, the table is downloaded again once. Not thread-safe.
 */
public final class MembershipChecker {
  private final PsiServiceGrpc.PsiServiceBlockingStub stub;
  private final RequestContext context;
  private final String resourceCode;
  private final PsiSuite suite;
  private final SecureRandom random;
  private final long deadlineMillis;
  private String epoch;
  private TagTable table;
  private long size;

  public MembershipChecker(PsiServiceGrpc.PsiServiceBlockingStub stub, RequestContext context, String resourceCode,
      PsiSuite suite, SecureRandom random, long deadlineMillis) {
    PsiSuite.forMembership(suite.name());
    this.stub = stub;
    this.context = context;
    this.resourceCode = resourceCode;
    this.suite = suite;
    this.random = random;
    this.deadlineMillis = deadlineMillis;
  }

  /** How many keys the provider's table holds (after the first check or {@link #download}). */
  public long tableSize() {
    return size;
  }

  /** Downloads the provider's table of tags. */
  public void download() {
    ByteArrayOutputStream tags = new ByteArrayOutputStream();
    long total = -1;
    String pageEpoch = null;
    while (total < 0 || tags.size() / PsiGroup.TAG_LENGTH < total) {
      MembershipTablePage page = stub().membershipTable(MembershipTableRequest.newBuilder().setContext(context)
          .setResourceCode(resourceCode).setSuite(suite.name()).setOffset(tags.size() / PsiGroup.TAG_LENGTH).build());
      if (pageEpoch != null && !pageEpoch.equals(page.getKeyEpoch())) {
        tags.reset(); // the provider made a new key while we read: start over
        total = -1;
        pageEpoch = null;
        continue;
      }
      if (page.getTags().isEmpty() && page.getTotal() > tags.size() / PsiGroup.TAG_LENGTH) {
        throw Status.INTERNAL.withDescription("the provider's table page at " + page.getOffset() + " is empty or malformed")
            .asRuntimeException();
      }
      pageEpoch = page.getKeyEpoch();
      total = page.getTotal();
      byte[] pageTags = page.getTags().toByteArray();
      tags.write(pageTags, 0, pageTags.length);
    }
    byte[] all = tags.toByteArray();
    TagTable t = new TagTable((int) total);
    for (int i = 0; i < total; i++) {
      t.put(all, i * PsiGroup.TAG_LENGTH, 0);
    }
    table = t;
    size = total;
    epoch = pageEpoch;
  }

  /**
   * Whether the provider holds {@code subject} (within the consumer's grant).
   *
   * @throws StatusRuntimeException as the federation refused or failed
   */
  public boolean contains(String subject) {
    if (table == null) {
      download();
    }
    try {
      return evaluate(subject);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.FAILED_PRECONDITION
          || !String.valueOf(e.getStatus().getDescription()).contains("download it again")) {
        throw e;
      }
      download();
      return evaluate(subject);
    }
  }

  private boolean evaluate(String subject) {
    PsiGroup g = suite.group();
    PsiKey blind = g.newKey(random);
    try {
      byte[] blinded = g.mask(blind, subject.getBytes(StandardCharsets.UTF_8));
      MembershipResponse r = stub().membership(MembershipRequest.newBuilder().setContext(context)
          .setResourceCode(resourceCode).setSuite(suite.name()).setKeyEpoch(epoch)
          .setBlinded(ByteString.copyFrom(blinded)).build());
      byte[] tag = g.tag(g.unblind(blind, r.getEvaluated().toByteArray()));
      return table.get(tag, 0) >= 0;
    } catch (InvalidPointException e) {
      throw Status.INTERNAL.withDescription("the provider's evaluation is not a valid element: " + e.getMessage())
          .asRuntimeException();
    } finally {
      blind.destroy();
    }
  }

  private PsiServiceGrpc.PsiServiceBlockingStub stub() {
    return stub.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS);
  }
}
