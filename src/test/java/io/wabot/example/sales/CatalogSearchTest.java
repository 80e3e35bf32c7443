package io.wabot.example.sales;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Search over the shipped catalog, as customers type. */
class CatalogSearchTest {

  static CatalogSearch search;

  @BeforeAll
  static void index() throws Exception {
    CatalogFile.Contents contents = CatalogFile.parse("conf/catalog.json", Files.readString(Path.of("conf/catalog.json")));
    search = new CatalogSearch(contents.items(),
        contents.categories().stream().collect(Collectors.toMap(Category::id, Function.identity())));
  }

  static List<String> skus(String query) {
    return search.search(query, 30).stream().map(InventoryItem::sku).toList();
  }

  @Test
  @DisplayName("an essay typed into the search box is cut to its first words instead of being scored word by word")
  void longQueryBounded() {
    String essay = "headphones " + "lorem ipsum dolor sit amet ".repeat(800);
    assertThat(skus(essay)).contains("AUD-001");
    assertThat(skus("lorem ipsum ".repeat(20) + "headphones")).as("words past the limit are not searched").isEmpty();
  }

  @Test
  @DisplayName("typos are forgiven: hedphones, haedphones, laptpo")
  void typos() {
    assertThat(skus("hedphones")).contains("AUD-001", "AUD-004").doesNotContain("PHN-001");
    assertThat(skus("haedphones")).contains("AUD-004");
    assertThat(skus("laptpo")).contains("LAP-001", "LAP-003");
  }

  @Test
  @DisplayName("plurals match singulars in English and Spanish")
  void plurals() {
    assertThat(skus("chargers")).contains("ACC-002");
    assertThat(skus("cargadores")).contains("ACC-002");
    assertThat(skus("laptops")).contains("LAP-001");
    assertThat(skus("celulares")).contains("PHN-001", "PHN-003");
    assertThat(skus("batteries")).contains("ACC-001");
  }

  @Test
  @DisplayName("accents and case do not matter: audífonos, AUDIFONOS, auriculares")
  void accents() {
    assertThat(skus("audífonos")).isEqualTo(skus("AUDIFONOS")).contains("AUD-001", "AUD-003");
    assertThat(skus("auriculares")).contains("AUD-002", "AUD-004");
    assertThat(skus("cámara")).contains("CAM-001", "HOM-003");
  }

  @Test
  @DisplayName("a SKU matches exactly however it is typed")
  void sku() {
    assertThat(skus("aud-004")).containsExactly("AUD-004");
    assertThat(skus("AUD004")).containsExactly("AUD-004");
    assertThat(skus(" Acc-012 ")).containsExactly("ACC-012");
  }

  @Test
  @DisplayName("filler words are ignored and the best matches come first")
  void ranking() {
    assertThat(skus("do you have a wireless mouse?")).first().isEqualTo("ACC-007");
    assertThat(skus("hola, ¿tienen bocinas?")).contains("AUD-005", "HOM-001");
    assertThat(skus("usb-c charger")).first().isEqualTo("ACC-002");
  }

  @Test
  @DisplayName("nonsense and filler alone find nothing")
  void nothing() {
    assertThat(skus("lawnmower")).isEmpty();
    assertThat(skus("do you have any?")).isEmpty();
    assertThat(skus("?!")).isEmpty();
  }

  @Test
  @DisplayName("the string distance counts a swap of neighbours as one typo")
  void distance() {
    assertThat(CatalogSearch.distance("haedphones", "headphones")).isEqualTo(1);
    assertThat(CatalogSearch.distance("hedphones", "headphones")).isEqualTo(1);
    assertThat(CatalogSearch.forms("luces")).contains("luz");
    assertThat(Map.of()).isEmpty();
  }

  @Test
  @DisplayName("the bounded check agrees with the full distance on 20,000 random pairs of short words")
  void withinAgreesWithDistance() {
    forRandomPairs(7, (a, b) -> {
      for (int max = 0; max <= 3; max++) {
        assertThat(CatalogSearch.within(a, b, max)).as("%s vs %s within %d", a, b, max)
            .isEqualTo(CatalogSearch.distance(a, b) <= max);
      }
    });
  }

  @Test
  @DisplayName("the distance kept in three rows equals the textbook full table's on 20,000 random pairs")
  void distanceMatchesFullTable() {
    forRandomPairs(11, (a, b) -> assertThat(CatalogSearch.distance(a, b)).as("%s vs %s", a, b)
        .isEqualTo(fullTableDistance(a, b)));
  }

  /** 20,000 pairs of short words, half of them a word and a typo of it. */
  private static void forRandomPairs(long seed, java.util.function.BiConsumer<String, String> check) {
    java.util.Random random = new java.util.Random(seed);
    for (int n = 0; n < 20_000; n++) {
      String a = randomWord(random);
      check.accept(a, random.nextBoolean() ? randomWord(random) : typo(a, random));
    }
  }

  /** Optimal string alignment distance with the whole table, as textbooks write it: the reference. */
  private static int fullTableDistance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  /** Short words over a small alphabet, so that near misses are common. */
  private static String randomWord(java.util.Random random) {
    StringBuilder word = new StringBuilder();
    for (int i = 1 + random.nextInt(10); i > 0; i--) {
      word.append("abcde".charAt(random.nextInt(5)));
    }
    return word.toString();
  }

  /** The word with one or two random edits (a change, an insertion, a deletion or a swap). */
  private static String typo(String word, java.util.Random random) {
    StringBuilder out = new StringBuilder(word);
    for (int edits = 1 + random.nextInt(2); edits > 0 && out.length() > 1; edits--) {
      int at = random.nextInt(out.length() - 1);
      switch (random.nextInt(4)) {
        case 0 -> out.setCharAt(at, 'x');
        case 1 -> out.insert(at, 'y');
        case 2 -> out.deleteCharAt(at);
        default -> {
          char c = out.charAt(at);
          out.setCharAt(at, out.charAt(at + 1));
          out.setCharAt(at + 1, c);
        }
      }
    }
    return out.toString();
  }
}
