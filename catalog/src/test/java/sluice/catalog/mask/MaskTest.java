package sluice.catalog.mask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import sluice.catalog.entry.Mask;
import sluice.catalog.entry.SemanticType;
import sluice.catalog.ident.CitizenIdNumber;
import sluice.catalog.ident.Luhn;
import sluice.catalog.ident.UnifiedSocialCreditCode;
import sluice.crypto.NodeId;

/** Every mask against the table in the masking issue, and the edge cases around it. */
class MaskTest {
  static final MaskKeys KEYS = new MaskKeys(new SecretKeySpec(new byte[32], "HKDF"), "prov-44/dept-hrss#1");
  static final MaskKey BJ = KEYS.forConsumer(NodeId.parse("prov-11/dept-ca"));
  static final MaskKey SH = KEYS.forConsumer(NodeId.parse("prov-31/dept-ca"));
  static final Masker MASKER = new Masker(new SecureRandom());

  static String mask(Mask m, SemanticType t, String v) {
    return MASKER.apply(m, t, v, BJ).orElseThrow();
  }

  @ParameterizedTest(name = "{0} {1} -> {3}")
  @CsvSource({
    "ID_KEEP_6_4,       CN_ID_CARD, 11010519491231002X,         110105********002X",
    "ID_KEEP_6_4,       CN_ID_CARD, 11010519491231002x,         110105********002X",
    "MOBILE_KEEP_3_4,   CN_MOBILE,  13812345678,                138****5678",
    "BANK_CARD_KEEP_6_4, BANK_CARD, 6222021234567890128,        622202*********0128",
    "USCC_HIDE_ORG,     CN_USCC,    91350100M000100Y43,         91350100*********3",
    "NAME_KEEP_SURNAME, CN_NAME,    张三丰,                      张**",
    "NAME_KEEP_SURNAME, CN_NAME,    李四,                        李*",
    "NAME_KEEP_SURNAME, CN_NAME,    欧阳娜娜,                    欧阳**",
    "NAME_KEEP_SURNAME, CN_NAME,    欧阳,                        欧*",
    "NAME_KEEP_SURNAME, CN_NAME,    阿沛·阿旺晋美,               阿*·****",
    "NAME_KEEP_SURNAME, CN_NAME,    \uD842\uDFB7一,               \uD842\uDFB7*",
    "NAME_KEEP_SURNAME, CN_NAME,    王,                          *",
    "ADDRESS_TO_COUNTY, ADDRESS,    北京市海淀区马连洼街道289号,  北京市海淀区***",
    "ADDRESS_TO_COUNTY, ADDRESS,    广东省广州市天河区体育西路191号, 广东省广州市天河区***",
    "ADDRESS_TO_COUNTY, ADDRESS,    江苏省昆山市前进东路1号,      江苏省昆山市***",
    "ADDRESS_TO_COUNTY, ADDRESS,    新疆维吾尔自治区喀什地区喀什市人民东路, 新疆维吾尔自治区喀什地区喀什市***",
    "ADDRESS_TO_COUNTY, ADDRESS,    湖北省恩施土家族苗族自治州恩施市舞阳大街, 湖北省恩施土家族苗族自治州恩施市***",
    "ADDRESS_TO_COUNTY, ADDRESS,    山东省济南市市中区经四路,    山东省济南市市中区***",
    "ADDRESS_TO_COUNTY, ADDRESS,    广东省东莞市南城街道鸿福路,  广东省东莞市***",
    "DATE_TO_YEAR,      DATE,       1949-12-31,                 1949",
    "DATE_TO_MONTH,     DATE,       1949-12-31,                 1949-12",
    "GENERALISE_ID,     CN_ID_CARD, 11010519491231002X,         region=110105;birthYear=1949;gender=F",
    "CLEAR,             TEXT,       as held,                    as held",
  })
  void displayMasksGiveTheTablesOutput(Mask mask, SemanticType type, String value, String expected) {
    assertEquals(expected, mask(mask, type, value));
  }

  @ParameterizedTest(name = "{0} refuses {2}")
  @CsvSource({
    "ID_KEEP_6_4,       CN_ID_CARD, 11010519491231002",
    "ID_KEEP_6_4,       CN_ID_CARD, 110105194912310021",
    "GENERALISE_ID,     CN_ID_CARD, 1101051949123100２X",
    "MOBILE_KEEP_3_4,   CN_MOBILE,  1381234567",
    "MOBILE_KEEP_3_4,   CN_MOBILE,  23812345678",
    "BANK_CARD_KEEP_6_4, BANK_CARD, 6222021234567890127",
    "USCC_HIDE_ORG,     CN_USCC,    91350100M000100Y44",
    "NAME_KEEP_SURNAME, CN_NAME,    张3",
    "ADDRESS_TO_COUNTY, ADDRESS,    马连洼街道289号",
    "DATE_TO_YEAR,      DATE,       1949-13-01",
    "DATE_TO_MONTH,     DATE,       19491231",
    "CHECKSUM_PSEUDONYM, CN_ID_CARD, 11010519491231002",
    "FPE,               CN_MOBILE,  12345",
    "FPE,               CN_ID_CARD, 张三",
  })
  void invalidInputIsAnErrorNeverAHalfMaskedValue(Mask mask, SemanticType type, String value) {
    assertThrows(InvalidMaskInputException.class, () -> MASKER.apply(mask, type, value, BJ));
  }

  @Test
  void aMaskThatDoesNotFitTheFieldIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> MASKER.apply(Mask.ID_KEEP_6_4, SemanticType.DATE, "1949-12-31", BJ));
  }

  @Test
  void nullifyAndVerifyOnlyLetNothingLeave() {
    assertEquals(Optional.empty(), MASKER.apply(Mask.NULLIFY, SemanticType.CN_NAME, "张三", BJ));
    assertEquals(Optional.empty(), MASKER.apply(Mask.VERIFY_ONLY, SemanticType.CN_ID_CARD, "11010519491231002X", BJ));
  }

  @Test
  void pseudonymsAreConsistentPerKeyAndUnlinkableAcrossKeys() {
    String a = mask(Mask.PSEUDONYM, SemanticType.CN_ID_CARD, "11010519491231002X");
    assertEquals(a, mask(Mask.PSEUDONYM, SemanticType.CN_ID_CARD, "11010519491231002X"));
    assertEquals(32, a.length());
    assertTrue(a.matches("[0-9a-f]{32}"), a);
    assertNotEquals(a, MASKER.apply(Mask.PSEUDONYM, SemanticType.CN_ID_CARD, "11010519491231002X", SH).orElseThrow(),
        "another consumer's key gives another pseudonym");
    assertNotEquals(a, mask(Mask.PSEUDONYM, SemanticType.CODE, "11010519491231002X"), "the domain is bound in");
    assertEquals(a.substring(0, 16), KeyedPseudonym.of(BJ.pseudonym(), "CN_ID_CARD", "11010519491231002X", 16),
        "truncatable");
  }

  @Test
  void checksumPseudonymsPassTheirChecksAndKeepWhatTheyPromise() {
    String id = mask(Mask.CHECKSUM_PSEUDONYM, SemanticType.CN_ID_CARD, "11010519491231002X");
    CitizenIdNumber p = CitizenIdNumber.parse(id);
    assertEquals("110105", p.regionCode());
    assertEquals(1949, p.birthDate().getYear());
    assertTrue(p.isFemale());
    assertNotEquals("11010519491231002X", id);
    assertEquals(id, mask(Mask.CHECKSUM_PSEUDONYM, SemanticType.CN_ID_CARD, "11010519491231002X"));
    assertNotEquals(id, MASKER.apply(Mask.CHECKSUM_PSEUDONYM, SemanticType.CN_ID_CARD, "11010519491231002X", SH).orElseThrow());

    String mobile = mask(Mask.CHECKSUM_PSEUDONYM, SemanticType.CN_MOBILE, "13812345678");
    assertTrue(mobile.matches("138[0-9]{8}") && !mobile.equals("13812345678"), mobile);
    String card = mask(Mask.CHECKSUM_PSEUDONYM, SemanticType.BANK_CARD, "6222021234567890128");
    assertTrue(card.startsWith("622202") && card.length() == 19 && Luhn.isValid(card), card);
    String shortCard = mask(Mask.CHECKSUM_PSEUDONYM, SemanticType.BANK_CARD, "4000000000006");
    assertTrue(shortCard.length() == 13 && Luhn.isValid(shortCard), shortCard);
    String uscc = mask(Mask.CHECKSUM_PSEUDONYM, SemanticType.CN_USCC, "91350100M000100Y43");
    assertTrue(uscc.startsWith("91350100") && UnifiedSocialCreditCode.isValid(uscc), uscc);
  }

  @Test
  void checksumPseudonymsOfDistinctPeopleStayDistinct() {
    // Every woman born in 1990 in one county with sequence 002..998 on three days: no collisions.
    Set<String> seen = new HashSet<>();
    int n = 0;
    for (String day : new String[] {"0101", "0615", "1231"}) {
      for (int seq = 2; seq <= 998; seq += 2) {
        String first17 = "4401041990" + day + String.format("%03d", seq);
        String id = first17 + CitizenIdNumber.checkCharacter(first17);
        assertTrue(seen.add(mask(Mask.CHECKSUM_PSEUDONYM, SemanticType.CN_ID_CARD, id)), id);
        n++;
      }
    }
    assertEquals(n, seen.size());
  }

  @Test
  void fpeAndEncryptionReverseWithTheKeyOnly() throws Exception {
    String fpe = mask(Mask.FPE, SemanticType.CN_MOBILE, "13812345678");
    assertTrue(fpe.matches("[0-9]{11}") && !fpe.equals("13812345678"), fpe);
    assertEquals("13812345678", FormatPreservingMask.decrypt(BJ.formatPreserving(), SemanticType.CN_MOBILE, fpe));
    String fpeId = mask(Mask.FPE, SemanticType.CN_ID_CARD, "11010519491231002x");
    assertTrue(fpeId.matches("[0-9A-Z]{18}"), fpeId);
    assertEquals("11010519491231002X", FormatPreservingMask.decrypt(BJ.formatPreserving(), SemanticType.CN_ID_CARD, fpeId));

    String sealed = mask(Mask.ENCRYPT, SemanticType.ADDRESS, "北京市海淀区马连洼街道289号");
    assertTrue(sealed.startsWith("sm4gcm:"), sealed);
    assertNotEquals(sealed, mask(Mask.ENCRYPT, SemanticType.ADDRESS, "北京市海淀区马连洼街道289号"), "fresh nonce");
    assertEquals("北京市海淀区马连洼街道289号", FieldEncryption.decrypt(BJ.encryption(), "ADDRESS", sealed));
    assertThrows(javax.crypto.AEADBadTagException.class, () -> FieldEncryption.decrypt(SH.encryption(), "ADDRESS", sealed));
  }

  @Test
  void keyIdsNameTheMasterAndTheConsumer() {
    assertEquals("prov-44/dept-hrss#1:prov-11/dept-ca", BJ.id());
    assertThrows(IllegalArgumentException.class, () -> new MaskKeys(new SecretKeySpec(new byte[16], "HKDF"), "short"));
  }

  @Test
  void everyMaskOutputHasItsShapeAndClearValuesDoNot() {
    String[][] cases = {
      {"ID_KEEP_6_4", "CN_ID_CARD", "11010519491231002X"},
      {"MOBILE_KEEP_3_4", "CN_MOBILE", "13812345678"},
      {"BANK_CARD_KEEP_6_4", "BANK_CARD", "6222021234567890128"},
      {"USCC_HIDE_ORG", "CN_USCC", "91350100M000100Y43"},
      {"NAME_KEEP_SURNAME", "CN_NAME", "欧阳娜娜"},
      {"ADDRESS_TO_COUNTY", "ADDRESS", "北京市海淀区马连洼街道289号"},
      {"DATE_TO_YEAR", "DATE", "1949-12-31"},
      {"DATE_TO_MONTH", "DATE", "1949-12-31"},
      {"GENERALISE_ID", "CN_ID_CARD", "11010519491231002X"},
      {"PSEUDONYM", "CN_ID_CARD", "11010519491231002X"},
      {"CHECKSUM_PSEUDONYM", "CN_USCC", "91350100M000100Y43"},
      {"FPE", "CN_MOBILE", "13812345678"},
      {"ENCRYPT", "ADDRESS", "北京市海淀区马连洼街道289号"},
    };
    for (String[] c : cases) {
      Mask m = Mask.valueOf(c[0]);
      String out = mask(m, SemanticType.valueOf(c[1]), c[2]);
      assertTrue(MaskShapes.conforms(m, out), c[0] + " gave " + out);
      if (m != Mask.CHECKSUM_PSEUDONYM && m != Mask.FPE) {
        assertTrue(!MaskShapes.conforms(m, c[2]), c[0] + " must not accept the clear value " + c[2]);
      }
    }
    assertTrue(!MaskShapes.conforms(Mask.NULLIFY, "anything"));
    assertTrue(!MaskShapes.conforms(Mask.NAME_KEEP_SURNAME, "张三丰"));
  }
}
