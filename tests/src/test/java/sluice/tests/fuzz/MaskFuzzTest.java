package sluice.tests.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.security.SecureRandom;
import java.util.Optional;
import javax.crypto.spec.SecretKeySpec;
import sluice.catalog.entry.Mask;
import sluice.catalog.entry.SemanticType;
import sluice.catalog.mask.InvalidMaskInputException;
import sluice.catalog.mask.MaskKey;
import sluice.catalog.mask.MaskKeys;
import sluice.catalog.mask.Masker;
import sluice.crypto.NodeId;

/**
 * Every masking function takes any value a department's data may hold: the value as it may leave
 * (or nothing, for the masks that let nothing leave), or an {@link InvalidMaskInputException}
 * naming why the mask cannot take it; nothing else. CLEAR gives the value back, NULLIFY and
 * VERIFY_ONLY give nothing, every other mask gives something.
 */
class MaskFuzzTest {
  private static final Masker MASKER = new Masker(new SecureRandom());
  private static final MaskKey KEY =
      new MaskKeys(new SecretKeySpec(new byte[32], "HmacSM3"), "fuzz#1").forConsumer(NodeId.parse("prov-11/dept-ca"));

  @FuzzTest(maxDuration = "10s")
  void maskTakesTheValueOrSaysWhyNot(FuzzedDataProvider data) {
    Mask mask = data.pickValue(Mask.values());
    SemanticType type = data.pickValue(SemanticType.values());
    String value = data.consumeRemainingAsString();
    if (!mask.fits(type)) {
      return;
    }
    try {
      Optional<String> out = MASKER.apply(mask, type, value, KEY);
      switch (mask) {
        case CLEAR -> check(out.isPresent() && out.get().equals(value), mask, value, out);
        case NULLIFY, VERIFY_ONLY -> check(out.isEmpty(), mask, value, out);
        default -> check(out.isPresent(), mask, value, out);
      }
    } catch (InvalidMaskInputException refused) {
      if (refused.getMessage() == null || refused.getMessage().isBlank()) {
        throw new AssertionError(mask + " refused " + value + " without a message");
      }
    }
  }

  private static void check(boolean ok, Mask mask, String value, Optional<String> out) {
    if (!ok) {
      throw new AssertionError(mask + " turned \"" + value + "\" into " + out);
    }
  }
}
