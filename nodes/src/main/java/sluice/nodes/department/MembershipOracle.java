package sluice.nodes.department;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import sluice.crypto.Hex;
import sluice.crypto.psi.InvalidPointException;
import sluice.crypto.psi.PsiGroup;
import sluice.crypto.psi.PsiKey;
import sluice.crypto.psi.PsiSuite;

/**
 * A department's side of private membership: one secret OPRF key per resource and suite, made
 * when first needed and held in memory only (a restart makes a new key and a new epoch, and
 * consumers download the table again), and the table of tag(H(y)^k) over the keys y a scope
 * reaches, computed once per scope and kept, in a secret random order. Thread-safe.
 */
final class MembershipOracle {
  /** One key and the tables made with it. */
  record Keyed(String epoch, PsiKey key, Map<Scope, byte[]> tables) {}

  private final SecureRandom random;
  private final Map<String, Keyed> keys = new ConcurrentHashMap<>();

  MembershipOracle(SecureRandom random) {
    this.random = random;
  }

  Keyed keyed(ServedResource resource, PsiSuite suite) {
    return keys.computeIfAbsent(resource.descriptor().code() + "|" + suite.name(), k -> {
      byte[] epoch = new byte[8];
      random.nextBytes(epoch);
      return new Keyed(Hex.encode(epoch), suite.group().newKey(random), new ConcurrentHashMap<>());
    });
  }

  /** The tags of every key {@code scope} reaches, 12 bytes each, shuffled. */
  byte[] table(ServedResource resource, PsiSuite suite, Scope scope) {
    Keyed keyed = keyed(resource, suite);
    return keyed.tables().computeIfAbsent(scope, s -> {
      List<String> members = new ArrayList<>();
      resource.records().forEach((key, record) -> {
        if (s.reaches(resource, record)) {
          members.add(key);
        }
      });
      Collections.shuffle(members, random);
      PsiGroup g = suite.group();
      byte[] tags = new byte[members.size() * PsiGroup.TAG_LENGTH];
      java.util.stream.IntStream.range(0, members.size()).parallel().forEach(i -> System.arraycopy(
          g.tag(g.mask(keyed.key(), members.get(i).getBytes(StandardCharsets.UTF_8))), 0, tags,
          i * PsiGroup.TAG_LENGTH, PsiGroup.TAG_LENGTH));
      return tags;
    });
  }

  /** {@code blinded}^k. */
  byte[] evaluate(ServedResource resource, PsiSuite suite, byte[] blinded) throws InvalidPointException {
    Keyed keyed = keyed(resource, suite);
    return suite.group().remask(keyed.key(), blinded);
  }
}
