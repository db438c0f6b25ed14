package sluice.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.crypto.NodeId;
import sluice.crypto.note.Ed25519NoteKeys;
import sluice.v1.AuditEntry;
import sluice.v1.Decision;

/** Refusals before authentication are audited one by one up to the limit a second, and counted beyond it. */
class AuditedRefusalsTest {
  @TempDir Path dir;

  @Test
  void refusalsOverTheLimitAreCountedInOneEntryAndNoneIsLost() throws Exception {
    Ed25519PrivateKeyParameters key = Ed25519NoteKeys.generate(new SecureRandom());
    String origin = "sluice.audit/prov-44";
    try (AuditLog log = AuditLog.open(dir, origin, List.of(Ed25519NoteKeys.signer(origin, key)), CheckpointWitness.NAME,
        AuditLogSettings.defaults().withBatches(64, Duration.ZERO), (i, e) -> {})) {
      Clock fixed = Clock.fixed(Instant.parse("2026-12-07T01:00:00Z"), ZoneOffset.UTC);
      AuditedRefusals refusals = new AuditedRefusals(NodeId.parse("prov-44"), log, fixed, 2);
      refusals.unauthenticated("Verify", "prov-44/dept-ca", "prov-44/dept-ca was revoked").join();
      refusals.refused("no client certificate");
      for (int i = 0; i < 5; i++) {
        refusals.unauthenticated("Verify", "unauthenticated peer at /127.0.0.1:" + (40000 + i), "call did not arrive over mutual TLS")
            .join();
      }
      refusals.flush();
      refusals.flush(); // nothing more to count: no entry
      AuditedRefusals later = new AuditedRefusals(NodeId.parse("prov-44"), log,
          Clock.offset(fixed, Duration.ofSeconds(1)), 2);
      later.unauthenticated("Query", "", "x").join();
      refusals.unreadable("BatchVerify", "prov-44/dept-ca", "nested too deep").join(); // never capped

      List<AuditEntry> entries = new ArrayList<>();
      long deadline = System.currentTimeMillis() + 10_000;
      while (log.size() < 5 && System.currentTimeMillis() < deadline) {
        Thread.sleep(5);
      }
      log.read(log.size(), b -> {
        try {
          entries.add(AuditEntry.parseFrom(b));
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
          throw new IllegalStateException(e);
        }
      });
      assertEquals(5, entries.size(), entries.toString());
      for (AuditEntry e : entries) {
        assertEquals(Decision.DENY, e.getDecision());
        assertEquals(e.getOperation().equals("BatchVerify") ? "INVALID_ARGUMENT" : "UNAUTHENTICATED", e.getStatus());
        assertEquals("prov-44", e.getGatewayNodeId());
      }
      assertEquals("Verify", entries.get(0).getOperation());
      assertEquals("prov-44/dept-ca", entries.get(0).getConsumerNodeId());
      assertEquals("Handshake", entries.get(1).getOperation());
      assertEquals("TLS handshake refused: no client certificate", entries.get(1).getReason());
      assertEquals("Refusals", entries.get(2).getOperation());
      assertTrue(entries.get(2).getReason().startsWith("5 more attempts were refused"), entries.get(2).getReason());
      assertTrue(entries.get(2).getReason().endsWith("Verify from unauthenticated peer at /127.0.0.1:40004: call did not arrive over mutual TLS"),
          entries.get(2).getReason());
      assertEquals("Query", entries.get(3).getOperation(), "a new second starts a new allowance");
    }
  }
}
