package sluice.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.google.protobuf.ByteString;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import sluice.crypto.Sm3;
import sluice.v1.Answer;
import sluice.v1.BatchVerifyResponse;
import sluice.v1.QueryResponse;
import sluice.v1.Receipt;
import sluice.v1.VerifyResponse;

class AnswerDigestTest {
  static Receipt receipt(String fingerprint, int chainBytes) {
    return Receipt.newBuilder().setBody(ByteString.copyFromUtf8("body")).setAlgorithm("SM2-SM3")
        .setSignature(ByteString.copyFromUtf8("sig")).setSignerCertificateSha256(fingerprint)
        .addSignerChain(ByteString.copyFrom(new byte[chainBytes])).addSignerChain(ByteString.copyFrom(new byte[7]))
        .build();
  }

  @Test
  void theDigestCoversTheAnswerAndTheSignersFingerprintNotItsChain() {
    VerifyResponse v = VerifyResponse.newBuilder().setAnswer(Answer.TRUE).setReceipt(receipt("ab", 900))
        .setRequestId("r-1").build();
    byte[] expected = Sm3.digest(v.toBuilder().setReceipt(v.getReceipt().toBuilder().clearSignerChain()).build()
        .toByteArray());
    assertArrayEquals(expected, AnswerDigest.of(v));
    assertArrayEquals(expected, AnswerDigest.of(v.toBuilder().setReceipt(receipt("ab", 50)).build()),
        "another copy of the same chain: the same digest");
    assertFalse(Arrays.equals(expected, AnswerDigest.of(v.toBuilder().setAnswer(Answer.FALSE).build())));
    assertFalse(Arrays.equals(expected, AnswerDigest.of(v.toBuilder().setReceipt(receipt("cd", 900)).build())),
        "another signer: another digest");

    QueryResponse q = QueryResponse.newBuilder().setAnswer(Answer.TRUE).setReceipt(receipt("ab", 900)).build();
    assertArrayEquals(Sm3.digest(q.toBuilder().setReceipt(q.getReceipt().toBuilder().clearSignerChain()).build()
        .toByteArray()), AnswerDigest.of(q));
    BatchVerifyResponse b = BatchVerifyResponse.newBuilder().setSeq(3).setReceipt(receipt("ab", 900)).build();
    assertArrayEquals(Sm3.digest(b.toBuilder().setReceipt(b.getReceipt().toBuilder().clearSignerChain()).build()
        .toByteArray()), AnswerDigest.of(b));
    VerifyResponse bare = VerifyResponse.newBuilder().setAnswer(Answer.NO_RECORD).build();
    assertSame(bare, AnswerDigest.withoutChain(bare), "nothing to leave out");
  }
}
